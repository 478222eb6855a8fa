package io.r2estream.dashboard.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.dashboard.view.OffsetView.GroupLag;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetViewTest {

  private static final TopicPartition A0 = new TopicPartition("a", 0);
  private static final TopicPartition A1 = new TopicPartition("a", 1);
  private static final TopicPartition B0 = new TopicPartition("b", 0);

  @Test
  void lagIsEndMinusCommittedSummedOverTheCommittedPartitionsOfEachTopic() {
    final List<GroupLag> lags = OffsetView.lagsOf(Map.of(A0, 10L, A1, 7L, B0, 3L),
        Map.of("g2", Map.of(B0, 3L), "g1", Map.of(A0, 4L, A1, 7L)));
    assertEquals(List.of(new GroupLag("g1", OffsetView.IDLE, "a", 11, 17, 6),
        new GroupLag("g2", OffsetView.IDLE, "b", 3, 3, 0)), lags);
  }

  @Test
  void groupsAreLabelledStreamsAppsConnectSinksWorkersOrIdle() {
    assertEquals(OffsetView.STREAMS, OffsetView.kindOf("r2e-ranking", "stream", 2));
    assertEquals(OffsetView.CONNECT, OffsetView.kindOf("connect-r2e-postgres-sink", "range", 1));
    assertEquals(OffsetView.CONNECT, OffsetView.kindOf("connect-r2e-postgres-sink", "", 0));
    assertEquals(OffsetView.WORKER, OffsetView.kindOf("r2e-rollout", "cooperative-sticky", 3));
    assertEquals(OffsetView.IDLE, OffsetView.kindOf("r2e-rollout", "", 0));
    final List<GroupLag> lags = OffsetView.lagsOf(Map.of(A0, 10L), Map.of("w", Map.of(A0, 4L)),
        Map.of("w", OffsetView.WORKER));
    assertEquals(List.of(new GroupLag("w", OffsetView.WORKER, "a", 4, 10, 6)), lags);
  }

  @Test
  void throughputIsTheGrowthOfEndOffsetsPerSecondBetweenPolls() {
    final OffsetView v = new OffsetView();
    assertTrue(v.update(1_000, Map.of(A0, 10L, A1, 0L), Map.of()));
    assertTrue(v.update(3_000, Map.of(A0, 20L, A1, 10L), Map.of()));
    @SuppressWarnings("unchecked")
    final Map<String, Object> topic = ((List<Map<String, Object>>) v.toJson().get("topics")).get(0);
    assertEquals("a", topic.get("topic"));
    assertEquals(30L, topic.get("endOffset"));
    assertEquals(10.0, (Double) topic.get("recordsPerSecond"), 1e-9);
  }
}
