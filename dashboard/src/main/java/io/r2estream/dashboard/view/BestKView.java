package io.r2estream.dashboard.view;

import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.BestAtKInputs;
import io.r2estream.streams.ranking.CandidateScores;
import io.r2estream.streams.ranking.SelectionRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live Best@K chart's numbers: the shared {@link BestAtK} evaluation (the one {@code r2e eval bestk} prints) over
 * the candidates the dashboard has read, recomputed only when a score or ranking arrived since the last rendering.
 * Small sets are enumerated exactly; beyond {@link #MAX_EXACT_SUBSETS} subsets it samples {@link #TRIALS} random
 * K-subsets per task and K with a fixed seed, so the curve does not jitter between two pushes of the same data.
 */
public final class BestKView {

  /** Above this many K-subsets in all, sample instead of enumerating. */
  public static final long MAX_EXACT_SUBSETS = 200_000;
  /** Random K-subsets per task and K when sampling (the CLI's default is the paper's 1,000; a page must stay quick). */
  public static final int TRIALS = 200;
  /** Fixed, so that the same records always draw the same curve. */
  public static final long SEED = 1;

  private boolean stale = true;
  private Map<String, Object> json;

  /** Marks the curves for recomputation: a score or a ranking arrived. */
  void changed() {
    stale = true;
  }

  /**
   * The curves as JSON: {@code null} when no task has a candidate with ground truth yet, else tasks, candidate
   * counts, trials (0 = exact), what was left out, the method labels and per K each method's mean and std (fractions).
   */
  Map<String, Object> toJson(final ScoreBoard scores) {
    if (stale) {
      json = compute(scores.bestKCandidates());
      stale = false;
    }
    return json;
  }

  static Map<String, Object> compute(final Map<String, List<CandidateScores>> candidates) {
    final BestAtKInputs.Loaded loaded = BestAtKInputs.keepGroundTruth(candidates, 0);
    if (loaded.tasks().isEmpty()) {
      return null;
    }
    final BestAtK.Result r = BestAtK.exactOrSample(loaded.tasks(),
        new BestAtK.Options(TRIALS, SEED, 0, SelectionRules.Weights.EQUAL), MAX_EXACT_SUBSETS);
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("tasks", r.tasks());
    m.put("candidates", loaded.candidatesRead() - loaded.withoutGroundTruth());
    m.put("minCandidates", r.minCandidates());
    m.put("maxCandidates", r.maxCandidates());
    m.put("trials", r.trials());
    m.put("leftOut", loaded.leftOut());
    final List<String> labels = new ArrayList<>();
    for (final BestAtK.Method method : BestAtK.Method.values()) {
      labels.add(method.label());
    }
    m.put("methods", labels);
    final List<Map<String, Object>> rows = new ArrayList<>();
    for (final BestAtK.Row row : r.rows()) {
      final Map<String, Object> values = new LinkedHashMap<>();
      for (final BestAtK.Method method : BestAtK.Method.values()) {
        values.put(method.label(), Map.of("mean", row.get(method).mean(), "std", row.get(method).std()));
      }
      rows.add(Map.of("k", row.k(), "values", values));
    }
    m.put("rows", rows);
    return m;
  }
}
