package io.r2estream.streams.ranking;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What {@link BestAtK} evaluates, joined from the platform's records: per task its candidates, each with the
 * verifiers' scores and its ground truth. One join for every reader ({@code r2e eval bestk} reads the topics once,
 * the dashboard keeps the records live), so both draw the same curves from the same records. Candidates without
 * ground truth cannot be evaluated: they are left out and counted, never silently.
 */
public final class BestAtKInputs {

  /**
   * What was joined.
   *
   * @param tasks                task id → its candidates with ground truth, sorted by task id
   * @param candidatesRead       candidates read, with or without ground truth
   * @param withoutGroundTruth   candidates left out for want of ground truth
   * @param tasksWithoutTruth    tasks left out because none of their candidates has ground truth
   * @param scoresWithoutRollout scores whose candidate has no trajectory: not evaluated
   */
  public record Loaded(SortedMap<String, List<CandidateScores>> tasks, int candidatesRead, int withoutGroundTruth,
      List<String> tasksWithoutTruth, int scoresWithoutRollout) {

    /** One line on what was left out, or "" when nothing was. */
    public String leftOut() {
      final List<String> parts = new ArrayList<>();
      if (withoutGroundTruth > 0) {
        parts.add(withoutGroundTruth + " candidates without ground truth");
      }
      if (!tasksWithoutTruth.isEmpty()) {
        parts.add(tasksWithoutTruth.size() + " tasks with none (" + String.join(", ", tasksWithoutTruth.stream()
            .limit(5).toList()) + (tasksWithoutTruth.size() > 5 ? ", …" : "") + ")");
      }
      if (scoresWithoutRollout > 0) {
        parts.add(scoresWithoutRollout + " scores of candidates without a trajectory");
      }
      return parts.isEmpty() ? "" : "Left out: " + String.join("; ", parts) + ".";
    }
  }

  private BestAtKInputs() {
  }

  /**
   * One candidate as the verifiers see it. A test score with status INFRA_ERROR says nothing about the candidate:
   * its regression, reproduction and hidden-test reward stay missing. Reproduction is the sum of the per-test scores
   * (reference 5.1); no generated test means no reproduction score, as in the ranking, not a score of 0. Ground
   * truth is {@code knownTruth} (the rollout's reward) when given, else the hidden-test reward the execution-based
   * verifier reports, the order {@link RankingState} uses.
   *
   * @param test  the candidate's latest test score, or null
   * @param judge the candidate's latest judge score, or null
   */
  public static CandidateScores candidate(final String candidateId, final Double knownTruth, final TestScore test,
      final JudgeScore judge) {
    final boolean testSays = test != null && test.getStatus() != GradeStatus.INFRA_ERROR;
    final Double truth = knownTruth != null ? knownTruth : testSays ? test.getHiddenReward() : null;
    return new CandidateScores(candidateId,
        testSays ? (double) test.getRegressionPassed() : null,
        testSays && !test.getReproductionScores().isEmpty()
            ? test.getReproductionScores().stream().mapToDouble(Double::doubleValue).sum() : null,
        judge == null ? null : judge.getPYes(), truth);
  }

  /**
   * Joins the latest records per candidate: the trajectories name the candidates (the rollout id is the candidate
   * id) and their reward; scores of candidates without a trajectory are counted, not evaluated.
   */
  public static Loaded fromRecords(final Collection<Trajectory> trajectories, final Collection<TestScore> tests,
      final Collection<JudgeScore> judges) {
    final Map<String, TestScore> testBy = new LinkedHashMap<>();
    tests.forEach(t -> testBy.put(t.getCandidateId(), t));
    final Map<String, JudgeScore> judgeBy = new LinkedHashMap<>();
    judges.forEach(j -> judgeBy.put(j.getCandidateId(), j));
    final Map<String, List<CandidateScores>> byTask = new TreeMap<>();
    final Set<String> rollouts = new HashSet<>();
    for (final Trajectory t : trajectories) {
      final String id = t.getRolloutId();
      rollouts.add(id);
      byTask.computeIfAbsent(t.getTaskId(), k -> new ArrayList<>())
          .add(candidate(id, t.getReward(), testBy.get(id), judgeBy.get(id)));
    }
    final int orphans = (int) (testBy.keySet().stream().filter(id -> !rollouts.contains(id)).count()
        + judgeBy.keySet().stream().filter(id -> !rollouts.contains(id)).count());
    return keepGroundTruth(byTask, orphans);
  }

  /**
   * Keeps, per task, the candidates with ground truth, and counts what it left out.
   *
   * @param all     task id → every candidate read
   * @param orphans scores without a candidate, to report
   */
  public static Loaded keepGroundTruth(final Map<String, List<CandidateScores>> all, final int orphans) {
    final SortedMap<String, List<CandidateScores>> kept = new TreeMap<>();
    final List<String> empty = new ArrayList<>();
    int read = 0;
    int without = 0;
    for (final Map.Entry<String, List<CandidateScores>> e : all.entrySet()) {
      read += e.getValue().size();
      final List<CandidateScores> withTruth = e.getValue().stream()
          .filter(c -> c.groundTruth() != null && !c.groundTruth().isNaN()).toList();
      without += e.getValue().size() - withTruth.size();
      if (withTruth.isEmpty()) {
        empty.add(e.getKey());
      } else {
        kept.put(e.getKey(), withTruth);
      }
    }
    return new Loaded(kept, read, without, List.copyOf(empty), orphans);
  }
}
