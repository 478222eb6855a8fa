package io.r2estream.deploy.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Record counts of topics from their log offsets; fails fast with one clear line when Kafka is not there. */
final class TopicStats implements AutoCloseable {

  private final Admin admin;

  private TopicStats(final Admin admin) {
    this.admin = admin;
  }

  static TopicStats connect(final String bootstrapServers) {
    final Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000));
    try {
      admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      admin.close();
      throw new IllegalStateException("no Kafka answers at " + bootstrapServers
          + ": start the platform with `./r2e up`, or set r2e.kafka.bootstrap-servers");
    }
    return new TopicStats(admin);
  }

  /** Topic name to (latest - earliest offset) summed over partitions; topics that do not exist are absent. */
  Map<String, Long> recordCounts(final Collection<String> topics) {
    try {
      final Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      final List<String> present = topics.stream().filter(existing::contains).toList();
      final Map<String, TopicDescription> desc = admin.describeTopics(present).allTopicNames().get(10, TimeUnit.SECONDS);
      final Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      desc.values().forEach(d -> d.partitions().forEach(p -> {
        earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
        latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
      }));
      final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> lo =
          admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
      final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> hi =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      final Map<String, Long> counts = new HashMap<>();
      present.forEach(t -> counts.put(t, 0L));
      hi.forEach((tp, info) -> counts.merge(tp.topic(), info.offset() - lo.get(tp).offset(), Long::sum));
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("cannot read topic offsets: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
