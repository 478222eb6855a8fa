package io.r2estream.dashboard.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything the dashboard shows, kept in memory and rendered as JSON. One reader thread applies records, the
 * offset poller applies offsets and HTTP threads render: every method holds the object's lock, and
 * {@link #version()} moves on each change so the server-sent event streams know when to push.
 */
public final class DashboardState {

  /** The topics the views are built from, in flow order. */
  public static final List<TopicSpec<?>> TOPICS = List.of(Topics.COMMITS, Topics.COMMITS_REJECTED,
      Topics.ENV_CANDIDATES, Topics.ENV_VALIDATIONS, Topics.TASKS, Topics.TRAJECTORIES, Topics.CANDIDATES,
      Topics.SCORES_TEST, Topics.SCORES_JUDGE, Topics.RANKINGS);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final FunnelView funnel = new FunnelView();
  private final RolloutView rollouts = new RolloutView();
  private final ScoreBoard scores;
  private final TaskCatalog tasks;
  private final TrajectoryStore trajectories;
  private final OffsetView offsets = new OffsetView();
  private final BestKView bestK = new BestKView();
  private final Map<String, Long> decodeErrors = new TreeMap<>();
  private String lastDecodeError;
  private long version;

  public DashboardState(final int maxTasks, final int maxTrajectories) {
    scores = new ScoreBoard(maxTasks);
    tasks = new TaskCatalog(maxTasks);
    trajectories = new TrajectoryStore(maxTrajectories);
  }

  /**
   * Applies one decoded record of one of {@link #TOPICS}; a null value is a tombstone.
   *
   * @throws IllegalArgumentException for a topic the dashboard does not read
   */
  public synchronized void apply(final String topic, final String key, final Object value) {
    version++;
    if (value == null) {
      if (Topics.TASKS.name().equals(topic)) {
        tasks.put(key, null);
      } else if (Topics.RANKINGS.name().equals(topic)) {
        scores.ranking(key, null);
        bestK.changed();
      }
      return;
    }
    switch (topic) {
      case "r2e.commits" -> funnel.commit();
      case "r2e.commits.rejected" -> funnel.rejection((CommitRejection) value);
      case "r2e.env.candidates" -> funnel.candidate();
      case "r2e.env.validations" -> funnel.validation((EnvValidation) value);
      case "r2e.tasks" -> {
        funnel.task();
        tasks.put(key, (TaskInstance) value);
      }
      case "r2e.trajectories" -> {
        rollouts.trajectory((Trajectory) value);
        trajectories.put((Trajectory) value);
      }
      case "r2e.candidates" -> rollouts.candidate((CandidatePatch) value);
      case "r2e.scores.test" -> {
        scores.testScore((TestScore) value);
        bestK.changed();
      }
      case "r2e.scores.judge" -> {
        scores.judgeScore((JudgeScore) value);
        bestK.changed();
      }
      case "r2e.rankings" -> {
        scores.ranking(key, (HybridRanking) value);
        bestK.changed();
      }
      default -> throw new IllegalArgumentException("the dashboard does not read topic '" + topic + "'");
    }
  }

  /** Records a value that could not be decoded: counted and shown, since the page would otherwise undercount. */
  public synchronized void decodeError(final String topic, final String reason) {
    version++;
    decodeErrors.merge(topic, 1L, Long::sum);
    lastDecodeError = topic + ": " + reason;
  }

  /** Applies one poll of end offsets and consumer-group offsets. */
  public synchronized void offsets(final long nowMillis, final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets) {
    offsets(nowMillis, endOffsets, groupOffsets, Map.of());
  }

  /** Applies one poll of end offsets and consumer-group offsets, with what each group is ({@link OffsetView#kindOf}). */
  public synchronized void offsets(final long nowMillis, final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets, final Map<String, String> groupKinds) {
    if (offsets.update(nowMillis, endOffsets, groupOffsets, groupKinds)) {
      version++;
    }
  }

  public synchronized long version() {
    return version;
  }

  public synchronized FunnelView funnel() {
    return funnel;
  }

  public synchronized RolloutView rollouts() {
    return rollouts;
  }

  public synchronized OffsetView offsetView() {
    return offsets;
  }

  /**
   * Funnel, rollouts, verifier counts, the Best@K curves, throughput and lag: what the overview page and its event
   * stream show.
   */
  public synchronized String overviewJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("version", version);
    m.put("funnel", funnel.toJson());
    m.put("rollouts", rollouts.toJson());
    m.put("verifiers", scores.countsJson());
    m.put("bestK", bestK.toJson(scores));
    m.put("offsets", offsets.toJson());
    m.put("decodeErrors", new LinkedHashMap<>(decodeErrors));
    m.put("lastDecodeError", lastDecodeError);
    m.put("tasksInMemory", tasks.size());
    return write(m);
  }

  /** The task browser's rows. */
  public synchronized String tasksJson() {
    return write(tasks.listJson());
  }

  /** One task with its scores, ranking and trajectories, or null when unknown to every view. */
  public synchronized String taskJson(final String taskId) {
    final Map<String, Object> task = tasks.taskJson(taskId);
    final Map<String, Object> ranking = scores.taskJson(taskId);
    final List<Map<String, Object>> rollouts = trajectories.listJson(taskId);
    if (task == null && rollouts.isEmpty() && ((List<?>) ranking.get("candidates")).isEmpty()) {
      return null;
    }
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("taskId", taskId);
    m.put("task", task);
    m.put("ranking", ranking);
    m.put("trajectories", rollouts);
    return write(m);
  }

  /** One row per ranked task. */
  public synchronized String rankingsJson() {
    return write(scores.rankingsJson());
  }

  /** The most recent trajectories' summaries. */
  public synchronized String trajectoriesJson() {
    return write(trajectories.listJson(null));
  }

  /** One whole trajectory, or null when not in memory. */
  public synchronized String trajectoryJson(final String rolloutId) {
    final Map<String, Object> m = trajectories.trajectoryJson(rolloutId, tasks);
    return m == null ? null : write(m);
  }

  private static String write(final Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render dashboard JSON: " + e.getMessage(), e);
    }
  }
}
