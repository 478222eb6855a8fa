package io.r2estream.streams.ranking;

import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.RankedCandidate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link HybridRanking} as plain JSON values (field names as in the schema, nulls kept, {@code updated_at} as
 * ISO-8601), for the interactive-query endpoint and the CLI: Avro's own JSON wraps unions, which readers dislike.
 */
public final class RankingJson {

  private RankingJson() {
  }

  public static Map<String, Object> toMap(final HybridRanking r) {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", r.getTaskId());
    m.put("mode", r.getMode());
    m.put("k", r.getK());
    m.put("scored_candidates", r.getScoredCandidates());
    m.put("best_candidate_id", r.getBestCandidateId());
    m.put("selection_resolves", r.getSelectionResolves());
    m.put("tie_break", r.getTieBreak());
    m.put("hybrid_selection", r.getHybridSelection());
    m.put("eb_selection", r.getEbSelection());
    m.put("ef_selection", r.getEfSelection());
    m.put("weighted_selection", r.getWeightedSelection());
    m.put("updated_at", r.getUpdatedAt().toString());
    final List<Map<String, Object>> candidates = new ArrayList<>();
    for (final RankedCandidate c : r.getCandidates()) {
      final Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("candidate_id", c.getCandidateId());
      cm.put("rank", c.getRank());
      cm.put("hybrid_score", c.getHybridScore());
      cm.put("regression_score", c.getRegressionScore());
      cm.put("reproduction_score", c.getReproductionScore());
      cm.put("judge_score", c.getJudgeScore());
      cm.put("test_score", c.getTestScore());
      cm.put("weighted_score", c.getWeightedScore());
      cm.put("ground_truth", c.getGroundTruth());
      cm.put("survivor", c.getSurvivor());
      candidates.add(cm);
    }
    m.put("candidates", candidates);
    m.put("selected_patch", r.getSelectedPatch());
    return m;
  }
}
