package io.r2estream.dashboard.view;

import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TestScore;
import io.r2estream.streams.ranking.BestAtKInputs;
import io.r2estream.streams.ranking.CandidateScores;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifier scores and hybrid rankings per task: the latest ranking of each task and the latest execution-based
 * and judge score of each of its candidates. Bounded to the most recently updated tasks.
 */
public final class ScoreBoard {

  /** What the board holds about one task. */
  private static final class TaskScores {
    private HybridRanking ranking;
    private final Map<String, TestScore> tests = new LinkedHashMap<>();
    private final Map<String, JudgeScore> judges = new LinkedHashMap<>();
  }

  private final BoundedMap<String, TaskScores> tasks;
  private long testScores;
  private long judgeScores;
  private long rankings;

  ScoreBoard(final int maxTasks) {
    tasks = new BoundedMap<>(maxTasks);
  }

  private TaskScores of(final String taskId) {
    TaskScores s = tasks.get(taskId);
    if (s == null) {
      s = new TaskScores();
    }
    tasks.putNewest(taskId, s);
    return s;
  }

  void testScore(final TestScore s) {
    testScores++;
    of(s.getTaskId()).tests.put(s.getCandidateId(), s);
  }

  void judgeScore(final JudgeScore s) {
    judgeScores++;
    of(s.getTaskId()).judges.put(s.getCandidateId(), s);
  }

  void ranking(final String taskId, final HybridRanking r) {
    if (r == null) {
      final TaskScores s = tasks.get(taskId);
      if (s != null) {
        s.ranking = null;
      }
      return;
    }
    rankings++;
    of(r.getTaskId()).ranking = r;
  }

  Map<String, Object> countsJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("testScores", testScores);
    m.put("judgeScores", judgeScores);
    m.put("rankings", rankings);
    m.put("resolvedSelections", tasks.values().stream().filter(t -> t.ranking != null
        && Boolean.TRUE.equals(t.ranking.getSelectionResolves())).count());
    m.put("rankedTasks", tasks.values().stream().filter(t -> t.ranking != null).count());
    return m;
  }

  /**
   * Per task every candidate the verifiers or the ranking know of, joined for Best@K by the shared
   * {@link BestAtKInputs#candidate}: scores from the latest test and judge records, ground truth from the ranking
   * (the rollout's reward, else the hidden-test reward) and else from the execution-based verifier's hidden tests.
   */
  Map<String, List<CandidateScores>> bestKCandidates() {
    final Map<String, List<CandidateScores>> out = new LinkedHashMap<>();
    tasks.forEach((id, s) -> {
      final Map<String, Double> truthById = new LinkedHashMap<>();
      if (s.ranking != null) {
        s.ranking.getCandidates().forEach(c -> truthById.put(c.getCandidateId(), c.getGroundTruth()));
      }
      s.tests.keySet().forEach(c -> truthById.putIfAbsent(c, null));
      s.judges.keySet().forEach(c -> truthById.putIfAbsent(c, null));
      final List<CandidateScores> candidates = new ArrayList<>();
      truthById.forEach((c, truth) -> candidates.add(BestAtKInputs.candidate(c, truth, s.tests.get(c),
          s.judges.get(c))));
      if (!candidates.isEmpty()) {
        out.put(id, candidates);
      }
    });
    return out;
  }

  /** One row per ranked task, most recently updated first. */
  List<Map<String, Object>> rankingsJson() {
    final List<Map<String, Object>> rows = new ArrayList<>();
    tasks.forEach((id, s) -> {
      if (s.ranking != null) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("taskId", id);
        m.put("mode", s.ranking.getMode());
        m.put("k", s.ranking.getK());
        m.put("candidates", s.ranking.getCandidates().size());
        m.put("scored", s.ranking.getScoredCandidates());
        m.put("best", s.ranking.getBestCandidateId());
        m.put("selectionResolves", s.ranking.getSelectionResolves());
        m.put("updatedAt", s.ranking.getUpdatedAt().toString());
        rows.add(0, m);
      }
    });
    return rows;
  }

  /** Ranking rows and per-candidate verifier scores of one task, empty when the task has none. */
  Map<String, Object> taskJson(final String taskId) {
    final Map<String, Object> m = new LinkedHashMap<>();
    final TaskScores s = tasks.get(taskId);
    final List<Map<String, Object>> rows = new ArrayList<>();
    if (s != null) {
      if (s.ranking != null) {
        m.put("mode", s.ranking.getMode());
        m.put("best", s.ranking.getBestCandidateId());
        m.put("selectionResolves", s.ranking.getSelectionResolves());
        for (final RankedCandidate c : s.ranking.getCandidates()) {
          rows.add(row(c.getCandidateId(), c, s));
        }
      }
      // Scored candidates the ranking has not caught up with yet still show their scores.
      final java.util.Set<String> ids = new java.util.TreeSet<>(s.tests.keySet());
      ids.addAll(s.judges.keySet());
      for (final String id : ids) {
        if (rows.stream().noneMatch(r -> id.equals(r.get("candidateId")))) {
          rows.add(row(id, null, s));
        }
      }
    }
    m.put("candidates", rows);
    return m;
  }

  private static Map<String, Object> row(final String id, final RankedCandidate c, final TaskScores s) {
    final Map<String, Object> r = new LinkedHashMap<>();
    r.put("candidateId", id);
    r.put("rank", c == null ? null : c.getRank());
    r.put("hybridScore", c == null ? null : c.getHybridScore());
    r.put("survivor", c != null && c.getSurvivor());
    r.put("groundTruth", c == null ? null : c.getGroundTruth());
    final TestScore t = s.tests.get(id);
    r.put("testStatus", t == null ? null : t.getStatus().name());
    // Boxed on purpose: a mixed Double/double conditional would unbox a missing score.
    final Double testScore = t != null ? Double.valueOf(t.getTestScore()) : c == null ? null : c.getTestScore();
    r.put("testScore", testScore);
    r.put("regression", t == null ? null : t.getRegressionPassed() + "/" + t.getRegressionTotal());
    final JudgeScore j = s.judges.get(id);
    r.put("judgeStatus", j == null ? null : j.getStatus().name());
    final Double judgeScore = j != null ? j.getPYes() : c == null ? null : c.getJudgeScore();
    r.put("judgeScore", judgeScore);
    return r;
  }
}
