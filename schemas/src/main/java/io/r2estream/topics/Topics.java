package io.r2estream.topics;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topic catalogue: every topic of the platform, in data-flow order (ARCHITECTURE.md section 1).
 * Producers, processors, workers, sinks and the start-up topic creation all read it from here.
 *
 * <p>Every record about a task is keyed by its task id, so per-task joins are co-partitioned: the
 * generation topics share {@link #GEN_PARTITIONS}, the rollout/verification topics {@link #ROLLOUT_PARTITIONS}.
 * Rollout requests are the exception: they are work items, keyed by rollout id and spread over
 * {@link #REQUEST_PARTITIONS}, because a worker runs one request per partition at a time (exactly-once commits
 * offsets in order) and the K samples of a task must be able to run side by side.
 */
public final class Topics {

  /** Partitions of the environment-generation topics (commit → task). */
  public static final int GEN_PARTITIONS = 6;
  /** Partitions of the rollout and verification topics. */
  public static final int ROLLOUT_PARTITIONS = 12;
  /**
   * Partitions of the rollout-request topic: the ceiling on rollouts running at once across the whole worker group
   * (each worker runs up to {@code r2e.rollout.concurrency} of its partitions side by side, one request each).
   */
  public static final int REQUEST_PARTITIONS = 64;

  private static final Duration WEEK = Duration.ofDays(7);
  private static final String TASK_KEY = "task id (repository@sha)";

  public static final TopicSpec<CommitEvent> COMMITS = new TopicSpec<>("r2e.commits", TASK_KEY,
      CommitEvent.class, GEN_PARTITIONS, true, null,
      "Non-merge commits of ingested repositories (compacted: re-ingesting overwrites).");
  public static final TopicSpec<CommitRejection> COMMITS_REJECTED = new TopicSpec<>("r2e.commits.rejected", TASK_KEY,
      CommitRejection.class, GEN_PARTITIONS, true, null, "Commits SWE-GEN rejected, with the failing rule.");
  public static final TopicSpec<EnvCandidate> ENV_CANDIDATES = new TopicSpec<>("r2e.env.candidates", TASK_KEY,
      EnvCandidate.class, GEN_PARTITIONS, true, null, "Commits selected for environment building.");
  public static final TopicSpec<EnvValidation> ENV_VALIDATIONS = new TopicSpec<>("r2e.env.validations", TASK_KEY,
      EnvValidation.class, GEN_PARTITIONS, true, null, "Built environments with FAIL_TO_PASS / PASS_TO_PASS.");
  public static final TopicSpec<ProblemStatement> PROBLEM_STATEMENTS = new TopicSpec<>("r2e.problem.statements",
      TASK_KEY, ProblemStatement.class, GEN_PARTITIONS, true, null, "Back-translated issues written by an LLM.");
  public static final TopicSpec<TaskInstance> TASKS = new TopicSpec<>("r2e.tasks", "instance_id (= task id)",
      TaskInstance.class, GEN_PARTITIONS, true, null, "Validated task instances; users may publish here too.");
  public static final TopicSpec<RolloutRequest> ROLLOUT_REQUESTS = new TopicSpec<>("r2e.rollout.requests",
      "rollout id (task/run/sample)", RolloutRequest.class, REQUEST_PARTITIONS, false, WEEK,
      "One agent attempt to run (task, run, sample, model).");
  public static final TopicSpec<TrajectoryStep> TRAJECTORY_STEPS = new TopicSpec<>("r2e.trajectory.steps", TASK_KEY,
      TrajectoryStep.class, ROLLOUT_PARTITIONS, false, WEEK, "Live agent steps, for dashboards.");
  public static final TopicSpec<Trajectory> TRAJECTORIES = new TopicSpec<>("r2e.trajectories", TASK_KEY,
      Trajectory.class, ROLLOUT_PARTITIONS, false, null, "Finished rollouts.");
  public static final TopicSpec<CandidatePatch> CANDIDATES = new TopicSpec<>("r2e.candidates", TASK_KEY,
      CandidatePatch.class, ROLLOUT_PARTITIONS, false, null, "Candidate patches produced by rollouts.");
  public static final TopicSpec<TestGenPatch> TESTGEN_PATCHES = new TopicSpec<>("r2e.testgen.patches", TASK_KEY,
      TestGenPatch.class, ROLLOUT_PARTITIONS, false, null, "Reproduction tests written by the testing agent.");
  public static final TopicSpec<TestScore> SCORES_TEST = new TopicSpec<>("r2e.scores.test", TASK_KEY,
      TestScore.class, ROLLOUT_PARTITIONS, false, null, "Execution-based verifier scores.");
  public static final TopicSpec<JudgeScore> SCORES_JUDGE = new TopicSpec<>("r2e.scores.judge", TASK_KEY,
      JudgeScore.class, ROLLOUT_PARTITIONS, false, null, "Execution-free verifier scores, P(YES).");
  public static final TopicSpec<HybridRanking> RANKINGS = new TopicSpec<>("r2e.rankings", TASK_KEY,
      HybridRanking.class, ROLLOUT_PARTITIONS, true, null, "Candidates of each task ranked by the hybrid score.");

  /** Topics whose consumers route unprocessable records to a dead-letter twin. */
  private static final List<TopicSpec<?>> MAIN = List.of(COMMITS, COMMITS_REJECTED, ENV_CANDIDATES, ENV_VALIDATIONS,
      PROBLEM_STATEMENTS, TASKS, ROLLOUT_REQUESTS, TRAJECTORY_STEPS, TRAJECTORIES, CANDIDATES, TESTGEN_PATCHES,
      SCORES_TEST, SCORES_JUDGE, RANKINGS);

  /** Internal topic of the embedded schema registry (Confluent's `_schemas` layout). */
  public static final String SCHEMAS_TOPIC = "_r2e_schemas";

  private Topics() {
  }

  /** The data topics, in flow order. */
  public static List<TopicSpec<?>> main() {
    return MAIN;
  }

  /** The dead-letter topic of a data topic: same key, {@link DeadLetter} values, one partition, kept 30 days. */
  public static TopicSpec<DeadLetter> dlqOf(final TopicSpec<?> spec) {
    return new TopicSpec<>(spec.dlqName(), "key of the failed record", DeadLetter.class, 1, false,
        Duration.ofDays(30), "Unprocessable records of " + spec.name() + ", with the error.");
  }

  /** Every topic the platform creates at start-up: data topics and their dead-letter twins. */
  public static List<TopicSpec<?>> all() {
    final List<TopicSpec<?>> all = new ArrayList<>(MAIN);
    MAIN.forEach(t -> all.add(dlqOf(t)));
    return List.copyOf(all);
  }

  /** Looks a topic up by name, dead-letter topics included. */
  public static Optional<TopicSpec<?>> byName(final String name) {
    return all().stream().filter(t -> t.name().equals(name)).findFirst();
  }
}
