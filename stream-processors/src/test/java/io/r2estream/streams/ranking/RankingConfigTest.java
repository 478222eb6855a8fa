package io.r2estream.streams.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingConfigTest {

  @Test
  void absentKeysKeepThePapersRuleAndEqualWeights() {
    assertEquals(RankingConfig.defaults(), RankingConfig.fromProperties(Map.of()));
    assertEquals(SelectionMode.HYBRID, RankingConfig.defaults().mode());
  }

  @Test
  void readsEveryKey() {
    final RankingConfig c = RankingConfig.fromProperties(Map.of(RankingConfig.MODE_CONFIG, " Weighted ",
        RankingConfig.WEIGHT_JUDGE_CONFIG, "2.5", RankingConfig.WEIGHT_REGRESSION_CONFIG, 0,
        RankingConfig.WEIGHT_REPRODUCTION_CONFIG, "1", RankingConfig.HTTP_PORT_CONFIG, "18090",
        RankingConfig.EMIT_INTERVAL_CONFIG, "250"));
    assertEquals(new RankingConfig(SelectionMode.WEIGHTED, new SelectionRules.Weights(2.5, 0, 1), 18090, 250), c);
  }

  @Test
  void reportsEveryBadValueInOneSentence() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        RankingConfig.fromProperties(Map.of(RankingConfig.MODE_CONFIG, "best", RankingConfig.WEIGHT_JUDGE_CONFIG,
            "-1", RankingConfig.HTTP_PORT_CONFIG, "70000", RankingConfig.EMIT_INTERVAL_CONFIG, "2.5")));
    assertTrue(e.getMessage().contains("r2e.ranking.mode='best' is not hybrid, eb, ef or weighted"), e.getMessage());
    assertTrue(e.getMessage().contains("r2e.ranking.weights.judge='-1'"), e.getMessage());
    assertTrue(e.getMessage().contains("r2e.ranking.http-port='70000' is not a port"), e.getMessage());
    assertTrue(e.getMessage().contains("r2e.ranking.emit-interval-ms='2.5' is not a whole number"), e.getMessage());
  }
}
