package io.r2estream.streams.ranking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One task's candidates as primitive arrays, for {@link BestAtK}'s sampler: the same selection as
 * {@link SelectionRules#survivors} on any subset, without allocating. Candidates are stored in the hybrid rule's
 * total order (judge, regression, reproduction descending, then candidate id), so the top max(3, ⌊K/2⌋) of any subset
 * given as ascending positions are simply its first positions. Scores are compared with {@link Double#compare}, as
 * SelectionRules does, and a missing score is −∞ there and 0 in the weighted sum.
 */
final class TaskArrays {

  final String taskId;
  /** In the hybrid order. */
  final List<CandidateScores> candidates;
  private final double[] judge;
  private final double[] regression;
  private final double[] reproduction;
  private final double[] judgeOrZero;
  private final double[] regressionOrZero;
  private final double[] reproductionOrZero;
  private final double[] truth;

  TaskArrays(final String taskId, final List<CandidateScores> unordered) {
    this.taskId = taskId;
    if (unordered.isEmpty()) {
      throw new IllegalArgumentException("task " + taskId + " has no candidates");
    }
    final Set<String> ids = new HashSet<>();
    for (final CandidateScores c : unordered) {
      if (!ids.add(c.candidateId())) {
        throw new IllegalArgumentException("task " + taskId + " has two candidates with id " + c.candidateId());
      }
      if (c.groundTruth() == null || c.groundTruth().isNaN()) {
        throw new IllegalArgumentException("candidate " + c.candidateId() + " of task " + taskId
            + " has no ground truth");
      }
    }
    final List<CandidateScores> ordered = new ArrayList<>(unordered);
    ordered.sort(Comparator.comparingDouble((CandidateScores c) -> lowest(c.judge())).reversed()
        .thenComparing(Comparator.comparingDouble((CandidateScores c) -> lowest(c.regression())).reversed())
        .thenComparing(Comparator.comparingDouble((CandidateScores c) -> lowest(c.reproduction())).reversed())
        .thenComparing(CandidateScores::candidateId));
    this.candidates = List.copyOf(ordered);
    final int n = ordered.size();
    judge = new double[n];
    regression = new double[n];
    reproduction = new double[n];
    judgeOrZero = new double[n];
    regressionOrZero = new double[n];
    reproductionOrZero = new double[n];
    truth = new double[n];
    for (int i = 0; i < n; i++) {
      final CandidateScores c = ordered.get(i);
      judge[i] = lowest(c.judge());
      regression[i] = lowest(c.regression());
      reproduction[i] = lowest(c.reproduction());
      judgeOrZero[i] = zero(c.judge());
      regressionOrZero[i] = zero(c.regression());
      reproductionOrZero[i] = zero(c.reproduction());
      truth[i] = c.groundTruth();
    }
  }

  int size() {
    return truth.length;
  }

  /** The method's value on the subset at positions {@code s[0..k)}, ascending: the survivors' mean ground truth. */
  double value(final BestAtK.Method method, final int[] s, final int k, final SelectionRules.Weights w) {
    final double[] out = new double[BestAtK.Method.values().length];
    values(s, k, w, out);
    return out[method.ordinal()];
  }

  /**
   * Every method's value on the subset at positions {@code s[0..k)}, ascending, into {@code out} by ordinal: one pass
   * for the hybrid, EB, EF, pass@K and the maxima the weighted sum divides by, one more for the weighted sum.
   */
  void values(final int[] s, final int k, final SelectionRules.Weights w, final double[] out) {
    final int keep = SelectionRules.hybridKeep(k);
    final int first = s[0];
    int eb = first;
    double ebSum = truth[first];
    int ebCount = 1;
    int ef = first;
    double efSum = truth[first];
    int efCount = 1;
    int hybrid = first;
    double hybridSum = truth[first];
    int hybridCount = 1;
    double pass = truth[first];
    double maxRegression = regression[first];
    double maxReproduction = reproduction[first];
    for (int i = 1; i < k; i++) {
      final int x = s[i];
      final double t = truth[x];
      pass = Math.max(pass, t);
      maxRegression = Math.max(maxRegression, regression[x]);
      maxReproduction = Math.max(maxReproduction, reproduction[x]);
      int cmp = Double.compare(judge[x], judge[ef]);
      if (cmp > 0) {
        ef = x;
        efSum = t;
        efCount = 1;
      } else if (cmp == 0) {
        efSum += t;
        efCount++;
      }
      cmp = compare(x, eb, regression, reproduction, null);
      if (cmp > 0) {
        eb = x;
        ebSum = t;
        ebCount = 1;
      } else if (cmp == 0) {
        ebSum += t;
        ebCount++;
      }
      // Positions are in the hybrid order, so the first `keep` of the subset are the ones the hybrid keeps.
      if (i < keep) {
        cmp = compare(x, hybrid, regression, reproduction, judge);
        if (cmp > 0) {
          hybrid = x;
          hybridSum = t;
          hybridCount = 1;
        } else if (cmp == 0) {
          hybridSum += t;
          hybridCount++;
        }
      }
    }
    out[BestAtK.Method.HYBRID.ordinal()] = hybridSum / hybridCount;
    out[BestAtK.Method.EB.ordinal()] = ebSum / ebCount;
    out[BestAtK.Method.EF.ordinal()] = efSum / efCount;
    out[BestAtK.Method.PASS.ordinal()] = pass;
    out[BestAtK.Method.WEIGHTED.ordinal()] = weightedBest(s, k, w, maxRegression, maxReproduction);
  }

  /** Lexicographic comparison of two positions by (a, b, c), b and c optional, as chained filters to the maximum. */
  private static int compare(final int x, final int y, final double[] a, final double[] b, final double[] c) {
    int cmp = Double.compare(a[x], a[y]);
    if (cmp == 0 && b != null) {
      cmp = Double.compare(b[x], b[y]);
      if (cmp == 0 && c != null) {
        cmp = Double.compare(c[x], c[y]);
      }
    }
    return cmp;
  }

  /** As {@link SelectionRules#weighted}: the same expression in the same order, so ties are bit-identical. */
  private double weightedBest(final int[] s, final int k, final SelectionRules.Weights w,
      final double maxRegression, final double maxReproduction) {
    double best = Double.NEGATIVE_INFINITY;
    double sum = 0;
    int count = 0;
    for (int i = 0; i < k; i++) {
      final int x = s[i];
      final double score = w.judge() * judgeOrZero[x]
          + (maxRegression > 0 ? w.regression() * regressionOrZero[x] / maxRegression : 0)
          + (maxReproduction > 0 ? w.reproduction() * reproductionOrZero[x] / maxReproduction : 0);
      final int cmp = count == 0 ? 1 : Double.compare(score, best);
      if (cmp > 0) {
        best = score;
        sum = truth[x];
        count = 1;
      } else if (cmp == 0) {
        sum += truth[x];
        count++;
      }
    }
    return sum / count;
  }

  private static double lowest(final Double v) {
    return v == null || v.isNaN() ? Double.NEGATIVE_INFINITY : v;
  }

  private static double zero(final Double v) {
    return v == null || v.isNaN() ? 0 : v;
  }
}
