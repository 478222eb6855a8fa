package io.r2estream.dashboard.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Throughput and consumer lag from two kinds of offsets: each topic's end offsets (records appended, whose change
 * between two polls is the throughput) and each consumer group's committed offsets (lag = end − committed, summed
 * over the partitions the group has committed).
 */
public final class OffsetView {

  /** What a group is, as the lag table labels it. */
  public static final String STREAMS = "streams app";
  public static final String CONNECT = "connect sink";
  public static final String WORKER = "worker";
  public static final String IDLE = "idle";

  /** One group's position on one topic. */
  public record GroupLag(String group, String kind, String topic, long committed, long end, long lag) {
  }

  private Map<String, Long> endByTopic = Map.of();
  private Map<String, Double> ratePerSecond = Map.of();
  private List<GroupLag> lags = List.of();
  private long polledAtMillis = -1;

  /**
   * Takes one poll's offsets.
   *
   * @return whether anything shown changed
   */
  boolean update(final long nowMillis, final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets) {
    return update(nowMillis, endOffsets, groupOffsets, Map.of());
  }

  /**
   * Takes one poll's offsets and what each group is ({@link #kindOf}; a group missing from {@code kinds} is
   * {@link #IDLE}).
   *
   * @return whether anything shown changed
   */
  boolean update(final long nowMillis, final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets, final Map<String, String> kinds) {
    final Map<String, Long> ends = new TreeMap<>();
    endOffsets.forEach((tp, end) -> ends.merge(tp.topic(), end, Long::sum));
    final Map<String, Double> rates = new TreeMap<>();
    if (polledAtMillis >= 0 && nowMillis > polledAtMillis) {
      final double seconds = (nowMillis - polledAtMillis) / 1000.0;
      ends.forEach((topic, end) -> rates.put(topic,
          Math.max(0, end - endByTopic.getOrDefault(topic, end)) / seconds));
    }
    final List<GroupLag> newLags = lagsOf(endOffsets, groupOffsets, kinds);
    final boolean changed = !ends.equals(endByTopic) || !rates.equals(ratePerSecond) || !newLags.equals(lags);
    endByTopic = ends;
    ratePerSecond = rates;
    lags = newLags;
    polledAtMillis = nowMillis;
    return changed;
  }

  /** Lag of every (group, topic) from end and committed offsets; partitions a group never committed are left out. */
  static List<GroupLag> lagsOf(final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets) {
    return lagsOf(endOffsets, groupOffsets, Map.of());
  }

  /**
   * What a consumer group is: a Kafka Streams application (its members use the "stream" assignor), a Connect sink
   * connector (Connect names their groups connect-&lt;connector&gt;), a worker group (any other group with members)
   * or idle (no members: its committed offsets still show how far it got).
   *
   * @param assignor the group's partition assignor ("" or null when it has no members)
   */
  public static String kindOf(final String groupId, final String assignor, final int members) {
    if ("stream".equals(assignor)) {
      return STREAMS;
    }
    if (groupId.startsWith("connect-")) {
      return CONNECT;
    }
    return members > 0 ? WORKER : IDLE;
  }

  static List<GroupLag> lagsOf(final Map<TopicPartition, Long> endOffsets,
      final Map<String, Map<TopicPartition, Long>> groupOffsets, final Map<String, String> kinds) {
    final List<GroupLag> out = new ArrayList<>();
    new TreeMap<>(groupOffsets).forEach((group, committed) -> {
      final Map<String, long[]> byTopic = new TreeMap<>(); // topic → {committed, end}
      committed.forEach((tp, offset) -> {
        final Long end = endOffsets.get(tp);
        if (end != null) {
          final long[] acc = byTopic.computeIfAbsent(tp.topic(), t -> new long[2]);
          acc[0] += offset;
          acc[1] += end;
        }
      });
      final String kind = kinds.getOrDefault(group, IDLE);
      byTopic.forEach((topic, acc) -> out.add(new GroupLag(group, kind, topic, acc[0], acc[1],
          Math.max(0, acc[1] - acc[0]))));
    });
    return List.copyOf(out);
  }

  public List<GroupLag> lags() {
    return lags;
  }

  Map<String, Object> toJson() {
    final List<Map<String, Object>> topics = new ArrayList<>();
    endByTopic.forEach((topic, end) -> {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("topic", topic);
      m.put("endOffset", end);
      m.put("recordsPerSecond", ratePerSecond.get(topic));
      topics.add(m);
    });
    final List<Map<String, Object>> groups = new ArrayList<>();
    lags.forEach(l -> {
      final Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", l.group());
      m.put("kind", l.kind());
      m.put("topic", l.topic());
      m.put("committed", l.committed());
      m.put("end", l.end());
      m.put("lag", l.lag());
      groups.add(m);
    });
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("topics", topics);
    m.put("groups", groups);
    return m;
  }
}
