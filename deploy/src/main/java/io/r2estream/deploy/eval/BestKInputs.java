package io.r2estream.deploy.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.streams.ranking.BestAtKInputs;
import io.r2estream.streams.ranking.CandidateScores;
import io.r2estream.topics.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs of a Best@K evaluation: per task its candidates with ground truth and verifier scores, from a JSONL file
 * or from the platform's topics (joined by the shared {@link BestAtKInputs}, which the dashboard uses too). Candidates without ground truth cannot be evaluated: they are left out and counted,
 * never silently.
 *
 * <p>JSONL, one object a line, either form (they may be mixed):
 * <ul>
 *   <li><b>per task</b> (R2E-Gym's {@code R2E-Gym/32B_predictions}): a list {@code gt_rewards} and the lists
 *       {@code regression_rates}, {@code mean_predicted_rewards} (reproduction) and {@code avg_yes_prob} (judge), each
 *       as long as {@code gt_rewards} when present; the task id is {@code instance_id}, {@code task_id} or
 *       {@code docker_image}; candidate ids are the list positions, zero-padded ("00", "01", …) so that the
 *       hybrid's id tie-break follows the list order;</li>
 *   <li><b>per rollout</b>: {@code task_id} (or {@code instance_id}, {@code docker_image}), {@code candidate_id} (or
 *       {@code rollout_id}; absent: the row's position among its task's rows), {@code ground_truth} (or
 *       {@code reward}, {@code gt_reward}), {@code regression} (or {@code regression_pass_count},
 *       {@code regression_rate}), {@code reproduction} (or {@code reproduction_test_score},
 *       {@code mean_predicted_reward}), {@code judge} (or {@code verifier_prob}, {@code avg_yes_prob},
 *       {@code p_yes}).</li>
 * </ul>
 * Scores are numbers or null (missing: ranks below every present score); ground truth is a number or a boolean.
 */
public final class BestKInputs {

  /** Column names of the per-task form, as R2E-Gym's predictions dataset spells them. */
  public static final String GT_REWARDS = "gt_rewards";
  public static final String REGRESSION_RATES = "regression_rates";
  public static final String MEAN_PREDICTED_REWARDS = "mean_predicted_rewards";
  public static final String AVG_YES_PROB = "avg_yes_prob";

  private static final List<String> TASK_ID = List.of("task_id", "instance_id", "docker_image");
  private static final List<String> CANDIDATE_ID = List.of("candidate_id", "rollout_id");
  private static final List<String> GROUND_TRUTH = List.of("ground_truth", "reward", "gt_reward");
  private static final List<String> REGRESSION = List.of("regression", "regression_pass_count", "regression_rate");
  private static final List<String> REPRODUCTION = List.of("reproduction", "reproduction_test_score",
      "mean_predicted_reward");
  private static final List<String> JUDGE = List.of("judge", "verifier_prob", "avg_yes_prob", "p_yes");

  private static final ObjectMapper JSON = new ObjectMapper();

  private BestKInputs() {
  }

  /**
   * Reads a JSONL file in either form.
   *
   * @throws IllegalArgumentException naming the line, when a line is not a JSON object, lacks a task id, has lists
   *                                  of different lengths, a non-numeric score, or repeats a task's candidate id
   */
  public static BestAtKInputs.Loaded readJsonl(final Path file) throws IOException {
    final Map<String, Map<String, CandidateScores>> byTask = new LinkedHashMap<>();
    int lineNumber = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        final String where = file + ":" + lineNumber;
        final JsonNode row;
        try {
          row = JSON.readTree(line);
        } catch (final JsonProcessingException e) {
          throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage());
        }
        if (row == null || !row.isObject()) {
          throw new IllegalArgumentException(where + " is not a JSON object");
        }
        final String task = text(row, TASK_ID, where);
        if (task == null) {
          throw new IllegalArgumentException(where + " has no task id (one of " + TASK_ID + ")");
        }
        if (row.has(GT_REWARDS)) {
          if (byTask.containsKey(task)) {
            throw new IllegalArgumentException(where + " repeats task " + task);
          }
          byTask.put(task, perTask(row, where));
        } else {
          final Map<String, CandidateScores> candidates = byTask.computeIfAbsent(task, t -> new LinkedHashMap<>());
          final String given = text(row, CANDIDATE_ID, where);
          final String id = given != null ? given : String.format("%05d", candidates.size());
          if (candidates.containsKey(id)) {
            throw new IllegalArgumentException(where + " repeats candidate " + id + " of task " + task);
          }
          candidates.put(id, new CandidateScores(id, number(row, REGRESSION, where),
              number(row, REPRODUCTION, where), number(row, JUDGE, where), number(row, GROUND_TRUTH, where)));
        }
      }
    }
    final Map<String, List<CandidateScores>> all = new LinkedHashMap<>();
    byTask.forEach((task, candidates) -> all.put(task, List.copyOf(candidates.values())));
    return BestAtKInputs.keepGroundTruth(all, 0);
  }

  /**
   * The platform's view: ground truth from {@link Topics#TRAJECTORIES} (reward, else the execution-based verifier's
   * hidden-test reward; the rollout id is the candidate id), regression and reproduction from {@link Topics#SCORES_TEST}, P(YES) from {@link Topics#SCORES_JUDGE}, the
   * latest record per candidate of each.
   */
  public static BestAtKInputs.Loaded fromTopics(final Map<String, Object> kafkaClient, final String registryUrl) {
    return BestAtKInputs.fromRecords(
        TaskTopicReader.latest(kafkaClient, registryUrl, Topics.TRAJECTORIES, r -> r.value().getRolloutId())
            .values(),
        TaskTopicReader.latest(kafkaClient, registryUrl, Topics.SCORES_TEST, r -> r.value().getCandidateId())
            .values(),
        TaskTopicReader.latest(kafkaClient, registryUrl, Topics.SCORES_JUDGE, r -> r.value().getCandidateId())
            .values());
  }

  private static Map<String, CandidateScores> perTask(final JsonNode row, final String where) {
    final List<Double> truth = list(row, GT_REWARDS, where, -1);
    final int n = truth.size();
    final List<Double> regression = list(row, REGRESSION_RATES, where, n);
    final List<Double> reproduction = list(row, MEAN_PREDICTED_REWARDS, where, n);
    final List<Double> judge = list(row, AVG_YES_PROB, where, n);
    final int width = String.valueOf(Math.max(0, n - 1)).length();
    final Map<String, CandidateScores> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      final String id = String.format("%0" + Math.max(2, width) + "d", i);
      out.put(id, new CandidateScores(id, regression.get(i), reproduction.get(i), judge.get(i), truth.get(i)));
    }
    return out;
  }

  /** The list column as doubles; absent: n nulls; its length must be n unless n is -1. */
  private static List<Double> list(final JsonNode row, final String field, final String where, final int n) {
    final JsonNode node = row.get(field);
    if (node == null || node.isNull()) {
      final List<Double> nulls = new ArrayList<>();
      for (int i = 0; i < Math.max(0, n); i++) {
        nulls.add(null);
      }
      return nulls;
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException(where + ": " + field + " must be a list, got " + node);
    }
    if (n >= 0 && node.size() != n) {
      throw new IllegalArgumentException(where + ": " + field + " has " + node.size() + " entries but "
          + GT_REWARDS + " has " + n);
    }
    final List<Double> out = new ArrayList<>(node.size());
    node.forEach(v -> out.add(value(v, field, where)));
    return out;
  }

  private static Double number(final JsonNode row, final List<String> names, final String where) {
    for (final String name : names) {
      if (row.has(name)) {
        return value(row.get(name), name, where);
      }
    }
    return null;
  }

  private static Double value(final JsonNode v, final String field, final String where) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? 1.0 : 0.0;
    }
    throw new IllegalArgumentException(where + ": " + field + " must be a number or null, got " + v);
  }

  private static String text(final JsonNode row, final List<String> names, final String where) {
    for (final String name : names) {
      final JsonNode v = row.get(name);
      if (v != null && !v.isNull()) {
        if (!v.isTextual() && !v.isNumber()) {
          throw new IllegalArgumentException(where + ": " + name + " must be a string, got " + v);
        }
        return v.asText();
      }
    }
    return null;
  }
}
