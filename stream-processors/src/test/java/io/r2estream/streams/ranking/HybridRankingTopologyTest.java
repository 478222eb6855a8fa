package io.r2estream.streams.ranking;

import static io.r2estream.streams.ranking.RankingFixtures.TASK;
import static io.r2estream.streams.ranking.RankingFixtures.candidate;
import static io.r2estream.streams.ranking.RankingFixtures.id;
import static io.r2estream.streams.ranking.RankingFixtures.judge;
import static io.r2estream.streams.ranking.RankingFixtures.test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TestScore;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ranking topology under exactly_once_v2 in the test driver, on cases computed by hand. */
class HybridRankingTopologyTest {

  // K = 6 (as in SelectionRulesTest): name -> regression, reproduction, judge, ground truth.
  // HYBRID keeps max(3, 6/2) = 3 by judge: f (0.95), a (0.9), b (0.8); max regression of those: a, b (10); max
  // reproduction: b (4) -> b, which resolves. Order: b, a, f (kept, by regression), then c, d, e (by judge).
  // EB: max regression e (12). EF: max judge f (0.95). WEIGHTED (1, 1, 1; regression / 12, reproduction / 9):
  // a 1.956, b 2.078, c 2.450, d 1.689, e 1.311, f 1.617 -> c.
  private static final Object[][] SIX = {
      {"a", 10, 2.0, 0.9, 0.0}, {"b", 10, 4.0, 0.8, 1.0}, {"c", 9, 9.0, 0.7, 0.0}, {"d", 10, 5.0, 0.3, 0.0},
      {"e", 12, 1.0, 0.2, 0.0}, {"f", 8, 0.0, 0.95, 0.0}};

  @TempDir
  Path stateDir;

  private final String scope = "ranking-" + UUID.randomUUID();
  private TopologyTestDriver driver;
  private TestInputTopic<String, CandidatePatch> candidates;
  private TestInputTopic<String, TestScore> tests;
  private TestInputTopic<String, JudgeScore> judges;
  private TestOutputTopic<String, HybridRanking> rankings;
  private TestOutputTopic<String, DeadLetter> candidateLetters;
  private TestOutputTopic<String, DeadLetter> judgeLetters;

  private void start(final RankingConfig config) {
    final String registry = "mock://" + scope;
    final Serde<CandidatePatch> c = R2eSerdes.valueSerde(Topics.CANDIDATES, registry);
    final Serde<TestScore> t = R2eSerdes.valueSerde(Topics.SCORES_TEST, registry);
    final Serde<JudgeScore> j = R2eSerdes.valueSerde(Topics.SCORES_JUDGE, registry);
    final Serde<HybridRanking> r = R2eSerdes.valueSerde(Topics.RANKINGS, registry);
    final Serde<DeadLetter> d = R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), registry);
    driver = new TopologyTestDriver(HybridRankingTopology.build(config, c, t, j, r, d),
        HybridRankingTopology.streamsConfig("unused:9092", "ranking-test", registry,
            stateDir.resolve(UUID.randomUUID().toString())));
    candidates = driver.createInputTopic(Topics.CANDIDATES.name(), new StringSerializer(), c.serializer());
    tests = driver.createInputTopic(Topics.SCORES_TEST.name(), new StringSerializer(), t.serializer());
    judges = driver.createInputTopic(Topics.SCORES_JUDGE.name(), new StringSerializer(), j.serializer());
    rankings = driver.createOutputTopic(Topics.RANKINGS.name(), new StringDeserializer(), r.deserializer());
    candidateLetters = driver.createOutputTopic(Topics.dlqOf(Topics.CANDIDATES).name(), new StringDeserializer(),
        d.deserializer());
    judgeLetters = driver.createOutputTopic(Topics.dlqOf(Topics.SCORES_JUDGE).name(), new StringDeserializer(),
        d.deserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  /** The six candidates, then their test scores, then their judge scores; event times 1..18. */
  private void pipeSix() {
    long at = 0;
    for (final Object[] row : SIX) {
      candidates.pipeInput(TASK, candidate(TASK, (String) row[0], (Double) row[4], ++at));
    }
    for (final Object[] row : SIX) {
      tests.pipeInput(TASK, test(TASK, (String) row[0], (Integer) row[1], (Double) row[2], ++at));
    }
    for (final Object[] row : SIX) {
      judges.pipeInput(TASK, judge(TASK, (String) row[0], (Double) row[3], ++at));
    }
  }

  private static List<String> order(final HybridRanking r) {
    return r.getCandidates().stream().map(c -> c.getCandidateId().substring(id(TASK, "").length())).toList();
  }

  /** The rankings emitted at the next emit interval (the driver's wall clock moves only when told). */
  private List<HybridRanking> emitted() {
    driver.advanceWallClockTime(Duration.ofMillis(RankingConfig.DEFAULT_EMIT_INTERVAL_MS));
    return rankings.readValuesToList();
  }

  private HybridRanking last() {
    final List<HybridRanking> all = emitted();
    assertFalse(all.isEmpty(), "a ranking was emitted");
    return all.get(all.size() - 1);
  }

  @Test
  void thePaperRuleEndToEndWithEveryModeSelectionInTheRecord() {
    start(RankingConfig.defaults());
    pipeSix();

    final HybridRanking r = last();
    assertEquals(TASK, r.getTaskId());
    assertEquals("HYBRID", r.getMode());
    assertEquals(6, r.getK());
    assertEquals(6, r.getScoredCandidates());
    assertEquals(List.of("b", "a", "f", "c", "d", "e"), order(r));
    assertEquals(id(TASK, "b"), r.getBestCandidateId());
    assertEquals(id(TASK, "b"), r.getHybridSelection());
    assertEquals(id(TASK, "e"), r.getEbSelection());
    assertEquals(id(TASK, "f"), r.getEfSelection());
    assertEquals(id(TASK, "c"), r.getWeightedSelection());
    assertEquals("diff --git a/b.py b/b.py\n", r.getSelectedPatch());
    assertEquals(Boolean.TRUE, r.getSelectionResolves());
    assertEquals("kept the top 3 of 6 by judge score; no tie: " + id(TASK, "b")
        + " alone has the best (regression, reproduction, judge)", r.getTieBreak());
    assertEquals(Instant.ofEpochMilli(18), r.getUpdatedAt(), "the latest event time of the task's records");
    final RankedCandidate b = r.getCandidates().get(0);
    assertEquals(1, b.getRank());
    assertEquals(1.0, b.getHybridScore());
    assertEquals(10.0, b.getRegressionScore());
    assertEquals(4.0, b.getReproductionScore());
    assertEquals(14.0, b.getTestScore());
    assertEquals(0.8, b.getJudgeScore());
    assertEquals(1.0, b.getGroundTruth());
    assertTrue(b.getSurvivor());
    assertEquals(0.8 + 10.0 / 12 + 4.0 / 9, b.getWeightedScore(), 1e-12);
    assertEquals(List.of(true, false, false, false, false, false),
        r.getCandidates().stream().map(RankedCandidate::getSurvivor).toList());
    assertEquals(List.of(1.0, 5.0 / 6, 4.0 / 6, 3.0 / 6, 2.0 / 6, 1.0 / 6),
        r.getCandidates().stream().map(RankedCandidate::getHybridScore).toList());
    final KeyValueStore<String, HybridRanking> store = driver.getKeyValueStore(HybridRankingTopology.RANKINGS_STORE);
    assertEquals(r, store.get(TASK), "the queryable store holds the last emitted ranking");
  }

  @Test
  void aBurstOfInputsYieldsOneRankingPerEmitIntervalAndAnIntervalOfZeroOnePerChange() {
    start(RankingConfig.defaults());
    pipeSix();
    assertTrue(rankings.isEmpty(), "nothing before the emit interval has passed");
    final List<HybridRanking> once = emitted();
    assertEquals(1, once.size(), "18 inputs of one task within one interval: one ranking");
    assertEquals(6, once.get(0).getScoredCandidates());
    assertTrue(emitted().isEmpty(), "no change, no ranking at the next interval");
    driver.close();

    start(RankingConfig.defaults().withEmitIntervalMs(0));
    pipeSix();
    final List<HybridRanking> each = rankings.readValuesToList();
    assertEquals(18, each.size(), "every input changes the ranking's scores, so each yields one at once");
    assertEquals(List.of(1, 2, 3), each.subList(0, 3).stream().map(HybridRanking::getK).toList());
    assertEquals(once.get(0), each.get(17), "both ways end with the same ranking");
  }

  @Test
  void aLateReScoreChangesTheRankingAndADuplicateChangesNothing() {
    start(RankingConfig.defaults());
    pipeSix();
    emitted();

    // e re-judged at 0.99: the top 3 by judge are e, f, a; e has the maximum regression (12) -> e, which fails.
    judges.pipeInput(TASK, judge(TASK, "e", 0.99, 30));
    final List<HybridRanking> after = emitted();
    assertEquals(1, after.size(), "one new ranking per change");
    final HybridRanking r = after.get(0);
    assertEquals(List.of("e", "a", "f", "b", "c", "d"), order(r));
    assertEquals(Boolean.FALSE, r.getSelectionResolves());
    assertEquals(6, r.getK(), "the re-scored candidate is not counted twice");
    assertEquals(0.99, r.getCandidates().get(0).getJudgeScore());

    judges.pipeInput(TASK, judge(TASK, "e", 0.99, 30));
    candidates.pipeInput(TASK, candidate(TASK, "a", 0.0, 1));
    tests.pipeInput(TASK, test(TASK, "c", 9, 9.0, 9));
    assertTrue(emitted().isEmpty(), "duplicates change nothing, so nothing is emitted");
    assertEquals(r, driver.<String, HybridRanking>getKeyValueStore(HybridRankingTopology.RANKINGS_STORE).get(TASK));
  }

  @Test
  void scoresBeforeTheirCandidateWaitForIt() {
    start(RankingConfig.defaults());
    tests.pipeInput(TASK, test(TASK, "x", 3, 1.0, 1));
    judges.pipeInput(TASK, judge(TASK, "x", 0.6, 2));
    assertTrue(emitted().isEmpty(), "no ranking without a candidate");

    candidates.pipeInput(TASK, candidate(TASK, "x", null, 3));
    final HybridRanking r = last();
    assertEquals(List.of("x"), order(r));
    assertEquals(3.0, r.getCandidates().get(0).getRegressionScore());
    assertEquals(0.6, r.getCandidates().get(0).getJudgeScore());
    assertNull(r.getSelectionResolves(), "no ground truth, no verdict on the selection");
    assertEquals(1, r.getScoredCandidates());
  }

  @Test
  void anUnscoredCandidateRanksWithMissingScoresAndAFailedVerdictKeepsTheEarlierOne() {
    start(RankingConfig.defaults());
    candidates.pipeInput(TASK, candidate(TASK, "p", 0.0, 1));
    candidates.pipeInput(TASK, candidate(TASK, "q", 1.0, 2));
    HybridRanking r = last();
    assertEquals(List.of("p", "q"), order(r), "no scores: by candidate id");
    assertNull(r.getCandidates().get(0).getJudgeScore());
    assertTrue(r.getTieBreak().startsWith("no judge scores, so kept the top 2 of 2 by candidate id; "),
        r.getTieBreak());
    assertTrue(r.getTieBreak().contains("2 candidates without a test score yet"), r.getTieBreak());

    judges.pipeInput(TASK, judge(TASK, "q", 0.4, 3));
    tests.pipeInput(TASK, test(TASK, "q", 1, 0.0, 4));
    r = last();
    assertEquals(List.of("q", "p"), order(r));
    assertEquals(Boolean.TRUE, r.getSelectionResolves());
    assertTrue(r.getTieBreak().endsWith("; 1 candidate without a test score yet (a missing score ranks lowest); "
        + "1 candidate without a judge score yet"), r.getTieBreak());

    // infrastructure failures and a judge without P(YES) are no verdicts: q keeps its scores
    tests.pipeInput(TASK, TestScore.newBuilder(test(TASK, "q", 0, 0.0, 5)).setStatus(GradeStatus.INFRA_ERROR)
        .build());
    judges.pipeInput(TASK, judge(TASK, "q", null, 6));
    final List<HybridRanking> unchanged = emitted();
    assertTrue(unchanged.isEmpty(), () -> "unchanged: " + unchanged);
  }

  @Test
  void theConfiguredModeOrdersTheRankingAndReportsItsTies() {
    start(RankingConfig.fromProperties(Map.of(RankingConfig.MODE_CONFIG, "eb")));
    for (final String n : List.of("c", "b", "a")) {
      candidates.pipeInput(TASK, candidate(TASK, n, n.equals("a") ? 1.0 : 0.0, 1));
      tests.pipeInput(TASK, test(TASK, n, 7, 2.0, 2));
    }
    final HybridRanking r = last();
    assertEquals("EB", r.getMode());
    assertEquals(List.of("a", "b", "c"), order(r));
    assertEquals(List.of(true, true, true), r.getCandidates().stream().map(RankedCandidate::getSurvivor).toList());
    assertEquals("3 candidates tied on (regression, reproduction); chose the smallest candidate id, "
        + id(TASK, "a"), r.getTieBreak(), "the judge is not part of EB; no judge scores are not reported");
  }

  @Test
  void theWeightedModeUsesTheConfiguredWeights() {
    // judge only: f (0.95) wins; regression only: e (12) wins
    start(RankingConfig.fromProperties(Map.of(RankingConfig.MODE_CONFIG, "weighted",
        RankingConfig.WEIGHT_JUDGE_CONFIG, "0", RankingConfig.WEIGHT_REPRODUCTION_CONFIG, "0")));
    pipeSix();
    final HybridRanking r = last();
    assertEquals("WEIGHTED", r.getMode());
    assertEquals(List.of("e", "a", "b", "d", "c", "f"), order(r));
    assertEquals(id(TASK, "b"), r.getHybridSelection(), "the other modes do not depend on the weights");
  }

  @Test
  void recordsThatCannotBeRankedAreDeadLetteredWithTheReason() {
    start(RankingConfig.defaults());
    candidates.pipeInput("someone@else", candidate(TASK, "m", null, 1));
    candidates.pipeInput(TASK, (CandidatePatch) null);
    judges.pipeInput(TASK, judge(TASK, "m", 1.5, 2));
    candidates.pipeInput(TASK, candidate(TASK, "n", null, 3));

    final List<DeadLetter> dead = candidateLetters.readValuesToList();
    assertEquals(2, dead.size());
    assertTrue(dead.get(0).getErrorMessage().contains("key 'someone@else' is not the task id"),
        dead.get(0).getErrorMessage());
    assertEquals(HybridRankingTopology.STAGE, dead.get(0).getStage());
    assertEquals(Topics.CANDIDATES.name(), dead.get(0).getSourceTopic());
    assertTrue(dead.get(1).getErrorMessage().contains("has no value"), dead.get(1).getErrorMessage());
    assertTrue(judgeLetters.readValue().getErrorMessage().contains("p_yes 1.5 outside [0, 1]"));
    assertEquals(List.of("n"), order(last()));
  }
}
