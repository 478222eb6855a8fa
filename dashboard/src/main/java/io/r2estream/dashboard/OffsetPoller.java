package io.r2estream.dashboard;

import io.r2estream.dashboard.view.DashboardState;
import io.r2estream.dashboard.view.OffsetView;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls, every refresh interval, the end offsets of the data topics and the committed offsets of every consumer
 * group (the Admin client; Kafka Streams applications, worker groups and Connect sinks are consumer groups), with
 * what each group is ({@link OffsetView#kindOf}), into a {@link DashboardState}, which turns them into throughput
 * and lag per group and topic (repartition topics of the streams applications included).
 */
final class OffsetPoller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OffsetPoller.class);
  private static final long TIMEOUT_SECONDS = 10;

  private final Admin admin;
  private final DashboardState state;
  private final ScheduledExecutorService scheduler;
  private final long refreshMillis;
  private final Set<String> dataTopics = Topics.main().stream().map(TopicSpec::name).collect(Collectors.toSet());

  OffsetPoller(final DashboardConfig config, final DashboardState state) {
    final Map<String, Object> props = new java.util.HashMap<>(config.kafkaClient());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "r2e-dashboard-offsets");
    this.admin = Admin.create(props);
    this.state = state;
    this.refreshMillis = config.refresh().toMillis();
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread t = new Thread(r, "r2e-dashboard-offsets");
      t.setDaemon(true);
      return t;
    });
  }

  OffsetPoller start() {
    scheduler.scheduleWithFixedDelay(this::pollSafely, 0, refreshMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  private void pollSafely() {
    try {
      poll();
    } catch (Exception e) {
      // A cluster that is restarting or slow is retried at the next tick; the page keeps the last figures.
      LOG.warn("Cannot poll offsets: {}", e.getMessage());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void poll() throws Exception {
    final Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    final Map<String, Map<TopicPartition, Long>> groupOffsets = new HashMap<>();
    final Map<String, String> kinds = new HashMap<>();
    final List<String> groupIds = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream().map(GroupListing::groupId).toList();
    if (!groupIds.isEmpty()) {
      for (final ConsumerGroupDescription d : admin.describeConsumerGroups(groupIds).all()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()) {
        kinds.put(d.groupId(), OffsetView.kindOf(d.groupId(), d.partitionAssignor(), d.members().size()));
      }
    }
    for (final String group : groupIds) {
      final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      // Every topic the group committed on: Kafka Streams applications also read their own repartition topics,
      // whose lag is as real as that of the data topics.
      final Map<TopicPartition, Long> offsets = new HashMap<>();
      committed.forEach((tp, om) -> {
        if (om != null && existing.contains(tp.topic())) {
          offsets.put(tp, om.offset());
        }
      });
      if (!offsets.isEmpty()) {
        groupOffsets.put(group, offsets);
      }
    }
    final Set<String> topics = new TreeSet<>(dataTopics);
    groupOffsets.values().forEach(m -> m.keySet().forEach(tp -> topics.add(tp.topic())));
    topics.retainAll(existing);
    final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    for (final TopicDescription d : admin.describeTopics(topics).allTopicNames()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).values()) {
      d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
    }
    final Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(request).all()
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    final Map<TopicPartition, Long> endOffsets = new HashMap<>();
    ends.forEach((tp, info) -> endOffsets.put(tp, info.offset()));
    state.offsets(System.currentTimeMillis(), endOffsets, groupOffsets, kinds);
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(java.time.Duration.ofSeconds(2));
  }
}
