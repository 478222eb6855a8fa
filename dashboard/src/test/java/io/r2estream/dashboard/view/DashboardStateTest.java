package io.r2estream.dashboard.view;

import static io.r2estream.dashboard.SampleRecords.candidate;
import static io.r2estream.dashboard.SampleRecords.judgeScore;
import static io.r2estream.dashboard.SampleRecords.ranking;
import static io.r2estream.dashboard.SampleRecords.rejection;
import static io.r2estream.dashboard.SampleRecords.task;
import static io.r2estream.dashboard.SampleRecords.testScore;
import static io.r2estream.dashboard.SampleRecords.trajectory;
import static io.r2estream.dashboard.SampleRecords.validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.dashboard.SampleRecords;
import io.r2estream.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void funnelCountsEveryStageAndTheReasonsOfEachDrop() throws Exception {
    final DashboardState s = new DashboardState(10, 10);
    s.apply(Topics.COMMITS.name(), "r@1", SampleRecords.commit("r", "1"));
    s.apply(Topics.COMMITS.name(), "r@2", SampleRecords.commit("r", "2"));
    s.apply(Topics.COMMITS.name(), "r@3", SampleRecords.commit("r", "3"));
    s.apply(Topics.COMMITS_REJECTED.name(), "r@1", rejection("r", "1", "no-test-change"));
    s.apply(Topics.ENV_VALIDATIONS.name(), "r@2", validation("r", "2", ValidationStatus.NEW_COMMIT_BETTER));
    s.apply(Topics.ENV_VALIDATIONS.name(), "r@3", validation("r", "3", ValidationStatus.FAIL_AT_SETUP));
    s.apply(Topics.TASKS.name(), "r@2", task("r@2"));

    final JsonNode f = JSON.readTree(s.overviewJson()).get("funnel");
    assertEquals(3, f.get("commits").asLong());
    assertEquals(1, f.get("rejected").asLong());
    assertEquals(2, f.get("validations").asLong());
    assertEquals(1, f.get("tasks").asLong());
    assertEquals(1, f.get("rejectionsByRule").get("no-test-change").asLong());
    assertEquals(1, f.get("validationsByStatus").get("FAIL_AT_SETUP").asLong());
  }

  @Test
  void rolloutsGiveResolvedRateAmongRewardedTokensAndTime() throws Exception {
    final DashboardState s = new DashboardState(10, 10);
    s.apply(Topics.TRAJECTORIES.name(), "t@1", trajectory("t@1", 0, "agent", 1.0));
    s.apply(Topics.TRAJECTORIES.name(), "t@1", trajectory("t@1", 1, "agent", 0.0));
    s.apply(Topics.TRAJECTORIES.name(), "t@1", trajectory("t@1", 2, "max_steps", null));
    s.apply(Topics.CANDIDATES.name(), "t@1", candidate("t@1", 0, "agent"));

    final JsonNode r = JSON.readTree(s.overviewJson()).get("rollouts");
    assertEquals(3, r.get("trajectories").asLong());
    assertEquals(2, r.get("rewarded").asLong());
    assertEquals(0.5, r.get("resolvedRate").asDouble(), 1e-9);
    assertEquals(360, r.get("promptTokens").asLong() + r.get("completionTokens").asLong());
    assertEquals(4.0, r.get("meanSeconds").asDouble(), 1e-9);
    assertEquals(2, r.get("byExitReason").get("agent").asLong());
    assertEquals(1, r.get("candidates").asLong());
  }

  @Test
  void taskViewJoinsRankingScoresAndTrajectoriesAndTheViewerShowsTheGoldPatch() throws Exception {
    final DashboardState s = new DashboardState(10, 10);
    s.apply(Topics.TASKS.name(), "t@1", task("t@1"));
    s.apply(Topics.TRAJECTORIES.name(), "t@1", trajectory("t@1", 0, "agent", 1.0));
    s.apply(Topics.SCORES_TEST.name(), "t@1", testScore("t@1", "t@1/run-1/0", 1.0));
    s.apply(Topics.SCORES_JUDGE.name(), "t@1", judgeScore("t@1", "t@1/run-1/0", 0.9));
    s.apply(Topics.SCORES_JUDGE.name(), "t@1", judgeScore("t@1", "t@1/run-1/1", 0.2));
    s.apply(Topics.RANKINGS.name(), "t@1", ranking("t@1", List.of("t@1/run-1/0"), true));

    final JsonNode t = JSON.readTree(s.taskJson("t@1"));
    final JsonNode rows = t.get("ranking").get("candidates");
    assertEquals(2, rows.size(), "the ranked candidate and the judged one the ranking has not caught up with");
    assertEquals(1, rows.get(0).get("rank").asInt());
    assertEquals(0.9, rows.get(0).get("judgeScore").asDouble(), 1e-9);
    assertEquals("PASS", rows.get(0).get("testStatus").asText());
    assertTrue(rows.get(1).get("rank").isNull());
    assertEquals(1, t.get("trajectories").size());

    final JsonNode v = JSON.readTree(s.trajectoryJson("t@1/run-1/0"));
    assertTrue(v.get("goldPatch").asText().contains("gold fix of t@1"));
    assertEquals("+agent fix 0", v.get("outputPatch").asText());
    assertEquals("Look at the failing module 0", v.get("stepList").get(0).get("thought").asText());
    assertNull(s.taskJson("unknown@x"));
  }

  @Test
  void viewsStayBoundedAndTombstonesRemoveTasks() throws Exception {
    final DashboardState s = new DashboardState(2, 2);
    for (int i = 0; i < 5; i++) {
      s.apply(Topics.TASKS.name(), "t@" + i, task("t@" + i));
      s.apply(Topics.TRAJECTORIES.name(), "t@" + i, trajectory("t@" + i, 0, "agent", 1.0));
    }
    assertEquals(List.of("t@4", "t@3"), JSON.readTree(s.tasksJson()).findValuesAsText("instanceId"));
    assertEquals(2, JSON.readTree(s.trajectoriesJson()).size());
    assertEquals(5, JSON.readTree(s.overviewJson()).get("funnel").get("tasks").asLong(), "counters are not bounded");
    s.apply(Topics.TASKS.name(), "t@4", null);
    assertEquals(List.of("t@3"), JSON.readTree(s.tasksJson()).findValuesAsText("instanceId"));
  }

  @Test
  void versionMovesOnEveryChangeOnlyAndDecodeErrorsAreShown() throws Exception {
    final DashboardState s = new DashboardState(10, 10);
    final TopicPartition p0 = new TopicPartition(Topics.TASKS.name(), 0);
    s.offsets(1_000, Map.of(p0, 5L), Map.of());
    final long v = s.version();
    s.offsets(2_000, Map.of(p0, 5L), Map.of());
    s.offsets(3_000, Map.of(p0, 5L), Map.of());
    assertEquals(v + 1, s.version(), "the rate went to 0 once, then nothing changed");
    s.decodeError(Topics.TASKS.name(), "offset 0@7: unknown magic byte");
    assertEquals(v + 2, s.version());
    final JsonNode o = JSON.readTree(s.overviewJson());
    assertEquals(1, o.get("decodeErrors").get(Topics.TASKS.name()).asLong());
    assertThrows(IllegalArgumentException.class, () -> s.apply("r2e.unknown", "k", "v"));
  }
}
