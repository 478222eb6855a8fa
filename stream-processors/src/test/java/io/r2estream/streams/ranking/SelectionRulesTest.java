package io.r2estream.streams.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The selection rules on small cases computed by hand. */
class SelectionRulesTest {

  private static CandidateScores c(final String id, final Double regression, final Double reproduction,
      final Double judge) {
    return new CandidateScores(id, regression, reproduction, judge, null);
  }

  private static List<String> ids(final List<CandidateScores> l) {
    return l.stream().map(CandidateScores::candidateId).toList();
  }

  // K = 6: hybrid keeps max(3, 3) = 3 by judge: f (0.95), a (0.9), b (0.8); of those the max regression (10) is a and
  // b; of those the max reproduction is b (4). EB alone picks e (regression 12); EF alone picks f (0.95).
  private static final List<CandidateScores> SIX = List.of(
      c("a", 10.0, 2.0, 0.9), c("b", 10.0, 4.0, 0.8), c("c", 9.0, 9.0, 0.7), c("d", 10.0, 5.0, 0.3),
      c("e", 12.0, 1.0, 0.2), c("f", 8.0, 0.0, 0.95));

  @Test
  void hybridKeepsTheTopHalfByJudgeThenRegressionThenReproductionThenJudge() {
    assertEquals(List.of("b"), ids(SelectionRules.survivors(SelectionMode.HYBRID, SIX, SelectionRules.Weights.EQUAL)));
    assertEquals(List.of("b", "a", "f", "c", "d", "e"),
        ids(SelectionRules.rank(SelectionMode.HYBRID, SIX, SelectionRules.Weights.EQUAL)));
  }

  @Test
  void executionBasedAndExecutionFreeAlone() {
    assertEquals(List.of("e"), ids(SelectionRules.survivors(SelectionMode.EB, SIX, SelectionRules.Weights.EQUAL)));
    assertEquals(List.of("e", "d", "b", "a", "c", "f"),
        ids(SelectionRules.rank(SelectionMode.EB, SIX, SelectionRules.Weights.EQUAL)));
    assertEquals(List.of("f"), ids(SelectionRules.survivors(SelectionMode.EF, SIX, SelectionRules.Weights.EQUAL)));
    assertEquals("f", SelectionRules.rank(SelectionMode.EF, SIX, SelectionRules.Weights.EQUAL).get(0).candidateId());
  }

  @Test
  void theHybridKeepsAtLeastThreeAndAtMostAll() {
    assertEquals(1, SelectionRules.hybridKeep(1));
    assertEquals(3, SelectionRules.hybridKeep(3));
    assertEquals(3, SelectionRules.hybridKeep(7));
    assertEquals(4, SelectionRules.hybridKeep(8));
    assertEquals(13, SelectionRules.hybridKeep(26));
  }

  @Test
  void tiesSurviveTogetherAndTheRankBreaksThemByCandidateId() {
    final List<CandidateScores> tied = List.of(c("z", 5.0, 1.0, 0.5), c("y", 5.0, 1.0, 0.5), c("x", 1.0, 0.0, 0.1));
    assertEquals(List.of("z", "y"), ids(SelectionRules.survivors(SelectionMode.HYBRID, tied,
        SelectionRules.Weights.EQUAL)).stream().sorted(java.util.Comparator.reverseOrder()).toList());
    assertEquals(List.of("y", "z", "x"), ids(SelectionRules.rank(SelectionMode.HYBRID, tied,
        SelectionRules.Weights.EQUAL)));
  }

  @Test
  void aMissingScoreRanksBelowEveryPresentOne() {
    final List<CandidateScores> partial = List.of(c("a", null, null, 0.1), c("b", 3.0, null, null),
        c("c", null, null, null));
    assertEquals(List.of("b", "a", "c"), ids(SelectionRules.rank(SelectionMode.EB, partial,
        SelectionRules.Weights.EQUAL)), "regression first; a and c tie on nothing and go by id");
    assertEquals(List.of("a", "b", "c"), ids(SelectionRules.rank(SelectionMode.EF, partial,
        SelectionRules.Weights.EQUAL)));
    assertEquals(List.of(), SelectionRules.survivors(SelectionMode.HYBRID, List.of(), SelectionRules.Weights.EQUAL));
  }

  @Test
  void weightedAddsTheJudgeAndTheScoresRelativeToTheTasksMaximum() {
    final List<CandidateScores> two = List.of(c("a", 10.0, 2.0, 0.2), c("b", 5.0, 4.0, 0.9));
    // a: 0.2 + 1.0 + 0.5 = 1.7; b: 0.9 + 0.5 + 1.0 = 2.4 with equal weights; regression x3: a 3.7, b 2.9.
    assertEquals(1.7, SelectionRules.weighted(two, SelectionRules.Weights.EQUAL).applyAsDouble(two.get(0)), 1e-9);
    assertEquals("b", SelectionRules.rank(SelectionMode.WEIGHTED, two, SelectionRules.Weights.EQUAL).get(0)
        .candidateId());
    assertEquals("a", SelectionRules.rank(SelectionMode.WEIGHTED, two, new SelectionRules.Weights(1, 3, 1)).get(0)
        .candidateId());
  }
}
