package io.r2estream.streams.ranking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The selection rules of reference 5.3, exact, as pure functions shared by the streaming ranking (which needs one
 * deterministic order) and the Best@K evaluation (which needs the set of tied survivors, whose mean ground truth is
 * the expected accuracy of a random tie-break, as the paper's plots compute it). Scores are compared raw, never
 * normalised (except in {@link SelectionMode#WEIGHTED}); a missing score ranks below every present one.
 */
public final class SelectionRules {

  /** The weights of {@link SelectionMode#WEIGHTED}. */
  public record Weights(double judge, double regression, double reproduction) {

    /** Equal weights. */
    public static final Weights EQUAL = new Weights(1, 1, 1);
  }

  private static final Comparator<String> BY_ID = Comparator.naturalOrder();

  private SelectionRules() {
  }

  /** How many of K candidates the hybrid rule keeps after sorting by judge score: max(3, ⌊K/2⌋), at most K. */
  public static int hybridKeep(final int k) {
    return Math.min(k, Math.max(3, k / 2));
  }

  /**
   * The candidates the mode cannot tell apart at the top: a random tie-break picks among them. Empty only when
   * {@code all} is.
   */
  public static List<CandidateScores> survivors(final SelectionMode mode, final List<CandidateScores> all,
      final Weights weights) {
    if (all.isEmpty()) {
      return List.of();
    }
    return switch (mode) {
      case HYBRID -> {
        final List<CandidateScores> top = new ArrayList<>(all);
        // A tie at the cut is settled by candidate id, as in rank(), so both agree on who is kept.
        top.sort(descending(SelectionRules::judge).thenComparing(descending(SelectionRules::regression))
            .thenComparing(descending(SelectionRules::reproduction)).thenComparing(CandidateScores::candidateId,
                BY_ID));
        yield filterMax(filterMax(filterMax(top.subList(0, hybridKeep(all.size())), SelectionRules::regression),
            SelectionRules::reproduction), SelectionRules::judge);
      }
      case EB -> filterMax(filterMax(all, SelectionRules::regression), SelectionRules::reproduction);
      case EF -> filterMax(all, SelectionRules::judge);
      case WEIGHTED -> filterMax(all, weighted(all, weights));
    };
  }

  /**
   * Every candidate in order, best first: the first is the selection (the smallest candidate id among the
   * survivors, so replays and restarts select the same). HYBRID orders the kept top max(3, ⌊K/2⌋) by (regression,
   * reproduction, judge) and the rest after them by (judge, regression, reproduction); EB by (regression,
   * reproduction); EF by judge; WEIGHTED by the weighted sum; ties by candidate id.
   */
  public static List<CandidateScores> rank(final SelectionMode mode, final List<CandidateScores> all,
      final Weights weights) {
    final List<CandidateScores> out = new ArrayList<>(all);
    switch (mode) {
      case HYBRID -> {
        out.sort(descending(SelectionRules::judge).thenComparing(descending(SelectionRules::regression))
            .thenComparing(descending(SelectionRules::reproduction)).thenComparing(CandidateScores::candidateId,
                BY_ID));
        final int keep = hybridKeep(out.size());
        final List<CandidateScores> kept = new ArrayList<>(out.subList(0, keep));
        kept.sort(descending(SelectionRules::regression).thenComparing(descending(SelectionRules::reproduction))
            .thenComparing(descending(SelectionRules::judge)).thenComparing(CandidateScores::candidateId, BY_ID));
        final List<CandidateScores> ranked = new ArrayList<>(kept);
        ranked.addAll(out.subList(keep, out.size()));
        return ranked;
      }
      case EB -> out.sort(descending(SelectionRules::regression).thenComparing(
          descending(SelectionRules::reproduction)).thenComparing(CandidateScores::candidateId, BY_ID));
      case EF -> out.sort(descending(SelectionRules::judge).thenComparing(CandidateScores::candidateId, BY_ID));
      case WEIGHTED -> out.sort(descending(weighted(all, weights)).thenComparing(CandidateScores::candidateId, BY_ID));
    }
    return out;
  }

  /**
   * The weighted score of {@link SelectionMode#WEIGHTED}: judge·P(YES) + regression·(score / the task's maximum) +
   * reproduction·(score / the task's maximum); a missing score, or a maximum of 0, adds nothing.
   */
  public static ToDoubleFunction<CandidateScores> weighted(final List<CandidateScores> all, final Weights w) {
    final double maxRegression = all.stream().mapToDouble(SelectionRules::regression).max().orElse(0);
    final double maxReproduction = all.stream().mapToDouble(SelectionRules::reproduction).max().orElse(0);
    return c -> w.judge() * orZero(c.judge())
        + (maxRegression > 0 ? w.regression() * orZero(c.regression()) / maxRegression : 0)
        + (maxReproduction > 0 ? w.reproduction() * orZero(c.reproduction()) / maxReproduction : 0);
  }

  private static List<CandidateScores> filterMax(final List<CandidateScores> in,
      final ToDoubleFunction<CandidateScores> score) {
    final double max = in.stream().mapToDouble(score).max().orElse(Double.NEGATIVE_INFINITY);
    return in.stream().filter(c -> Double.compare(score.applyAsDouble(c), max) == 0).toList();
  }

  private static Comparator<CandidateScores> descending(final ToDoubleFunction<CandidateScores> score) {
    return Comparator.comparingDouble(score).reversed();
  }

  private static double judge(final CandidateScores c) {
    return orLowest(c.judge());
  }

  private static double regression(final CandidateScores c) {
    return orLowest(c.regression());
  }

  private static double reproduction(final CandidateScores c) {
    return orLowest(c.reproduction());
  }

  private static double orLowest(final Double v) {
    return v == null || v.isNaN() ? Double.NEGATIVE_INFINITY : v;
  }

  private static double orZero(final Double v) {
    return v == null || v.isNaN() ? 0 : v;
  }
}
