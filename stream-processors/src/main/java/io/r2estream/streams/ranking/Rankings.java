package io.r2estream.streams.ranking;

import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.RankedCandidate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * A task's {@link HybridRanking} from its candidate set: the order of the configured mode, every candidate's scores,
 * the selection with its patch and whether it resolves the task, the tie-break in one sentence, and the selections
 * of all four modes. A pure function of the set, so replays, restarts and duplicates yield the same record.
 */
public final class Rankings {

  private Rankings() {
  }

  public static HybridRanking of(final String taskId, final RankingState.TaskCandidates set,
      final SelectionMode mode, final SelectionRules.Weights weights) {
    final List<CandidateScores> scores = set.all().stream().map(RankingState.Scored::scores).toList();
    final List<CandidateScores> ranked = SelectionRules.rank(mode, scores, weights);
    final Set<String> survivors = SelectionRules.survivors(mode, scores, weights).stream()
        .map(CandidateScores::candidateId).collect(Collectors.toSet());
    final ToDoubleFunction<CandidateScores> weighted = SelectionRules.weighted(scores, weights);
    final int k = ranked.size();
    final List<RankedCandidate> out = new ArrayList<>(k);
    long updated = 0;
    int fullyScored = 0;
    int judged = 0;
    int tested = 0;
    for (int i = 0; i < k; i++) {
      final CandidateScores c = ranked.get(i);
      final RankingState.Scored s = set.view().get(c.candidateId());
      updated = Math.max(updated, s.eventTime());
      if (s.test() != null && s.judge() != null) {
        fullyScored++;
      }
      judged += s.judge() != null ? 1 : 0;
      tested += s.test() != null ? 1 : 0;
      out.add(RankedCandidate.newBuilder().setCandidateId(c.candidateId()).setRank(i + 1)
          .setHybridScore((double) (k - i) / k).setTestScore(s.test() == null ? null : s.test().testScore())
          .setJudgeScore(c.judge()).setHiddenReward(c.groundTruth()).setRegressionScore(c.regression())
          .setReproductionScore(c.reproduction()).setGroundTruth(c.groundTruth())
          .setSurvivor(survivors.contains(c.candidateId())).setWeightedScore(weighted.applyAsDouble(c)).build());
    }
    final HybridRanking.Builder b = HybridRanking.newBuilder().setTaskId(taskId).setCandidates(out)
        .setUpdatedAt(Instant.ofEpochMilli(updated)).setMode(mode.name()).setK(k).setScoredCandidates(fullyScored)
        .setHybridSelection(first(SelectionMode.HYBRID, scores, weights))
        .setEbSelection(first(SelectionMode.EB, scores, weights))
        .setEfSelection(first(SelectionMode.EF, scores, weights))
        .setWeightedSelection(first(SelectionMode.WEIGHTED, scores, weights));
    if (k > 0) {
      final RankingState.Scored selected = set.view().get(ranked.get(0).candidateId());
      final Double truth = selected.groundTruth();
      b.setBestCandidateId(ranked.get(0).candidateId()).setSelectedPatch(selected.candidate().patch())
          .setSelectionResolves(truth == null ? null : truth >= 1.0)
          .setTieBreak(tieBreak(mode, k, survivors.size(), ranked.get(0).candidateId(), k - tested, judged));
    }
    return b.build();
  }

  /**
   * The selection in one sentence, e.g. "kept the top 3 of 6 by judge score; 2 candidates tied on (regression,
   * reproduction, judge); chose the smallest candidate id, t@1/r/0".
   */
  /**
   * The selection explained in one sentence. Missing judge scores are only mentioned when some candidate of the
   * task has one: without any (no judge configured) the sentence says the judge cut fell back on candidate ids.
   */
  static String tieBreak(final SelectionMode mode, final int k, final int tied, final String selected,
      final int withoutTest, final int judged) {
    final String on = switch (mode) {
      case HYBRID -> "(regression, reproduction, judge)";
      case EB -> "(regression, reproduction)";
      case EF -> "(judge)";
      case WEIGHTED -> "(weighted score)";
    };
    final StringBuilder s = new StringBuilder();
    if (mode == SelectionMode.HYBRID) {
      s.append(judged == 0 ? "no judge scores, so " : "").append("kept the top ").append(SelectionRules.hybridKeep(k))
          .append(" of ").append(k).append(judged == 0 ? " by candidate id; " : " by judge score; ");
    }
    if (tied > 1) {
      s.append(tied).append(" candidates tied on ").append(on).append("; chose the smallest candidate id, ")
          .append(selected);
    } else {
      s.append("no tie: ").append(selected).append(" alone has the best ").append(on);
    }
    if (withoutTest > 0) {
      s.append("; ").append(withoutTest).append(withoutTest == 1 ? " candidate" : " candidates")
          .append(" without a test score yet (a missing score ranks lowest)");
    }
    if (judged > 0 && judged < k) {
      s.append("; ").append(k - judged).append(k - judged == 1 ? " candidate" : " candidates")
          .append(" without a judge score yet");
    }
    return s.toString();
  }

  private static String first(final SelectionMode mode, final List<CandidateScores> scores,
      final SelectionRules.Weights weights) {
    return scores.isEmpty() ? null : SelectionRules.rank(mode, scores, weights).get(0).candidateId();
  }
}
