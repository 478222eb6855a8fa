package io.r2estream.dashboard;

import io.r2estream.dashboard.view.DashboardState;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the dashboard's topics from the beginning into a {@link DashboardState}, on one thread of its own. A plain
 * consumer with assigned partitions and no group: the dashboard is a viewer, it commits nothing and shows up in
 * nobody's lag. Topics that do not exist yet are looked up again until they do. Values that do not decode are
 * counted on the page (the stage that consumes the topic routes them to its dead-letter topic).
 */
final class TopicReader implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long RELOOKUP_MILLIS = 2_000;

  private final KafkaConsumer<String, byte[]> consumer;
  private final Map<String, Deserializer<? extends SpecificRecord>> values = new HashMap<>();
  private final DashboardState state;
  private final Thread thread;
  private final Set<String> assignedTopics = new HashSet<>();
  private volatile boolean running = true;

  TopicReader(final DashboardConfig config, final DashboardState state) {
    this.state = state;
    final Map<String, Object> props = new HashMap<>();
    props.putAll(config.kafkaClient()); // address plus SASL/TLS settings
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "r2e-dashboard-reader");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // workers write transactionally
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    for (final TopicSpec<?> spec : DashboardState.TOPICS) {
      values.put(spec.name(), R2eSerdes.valueSerde(spec, config.registryUrl()).deserializer());
    }
    thread = new Thread(this::run, "r2e-dashboard-reader");
    thread.setDaemon(true);
  }

  TopicReader start() {
    thread.start();
    return this;
  }

  private void run() {
    long lookedUpAt = Long.MIN_VALUE / 2;
    try {
      while (running) {
        if (assignedTopics.size() < values.size() && System.currentTimeMillis() - lookedUpAt >= RELOOKUP_MILLIS) {
          assignNewTopics();
          lookedUpAt = System.currentTimeMillis();
        }
        if (consumer.assignment().isEmpty()) {
          waitForTopics();
          continue;
        }
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
          apply(r);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      LOG.error("Dashboard reader stopped: {}", e.getMessage(), e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void apply(final ConsumerRecord<String, byte[]> r) {
    final Object value;
    try {
      value = r.value() == null ? null : values.get(r.topic()).deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      LOG.warn("Cannot decode {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.getMessage());
      state.decodeError(r.topic(), "offset " + r.partition() + "@" + r.offset() + ": " + e.getMessage());
      return;
    }
    state.apply(r.topic(), r.key(), value);
  }

  /** Adds the partitions of topics that exist now, from their first offset. */
  private void assignNewTopics() {
    final List<TopicPartition> added = new ArrayList<>();
    final Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(5));
    for (final String topic : values.keySet()) {
      final List<PartitionInfo> partitions = existing.get(topic);
      if (!assignedTopics.contains(topic) && partitions != null && !partitions.isEmpty()) {
        partitions.forEach(p -> added.add(new TopicPartition(topic, p.partition())));
        assignedTopics.add(topic);
      }
    }
    if (!added.isEmpty()) {
      final List<TopicPartition> all = new ArrayList<>(consumer.assignment());
      all.addAll(added);
      consumer.assign(all);
      consumer.seekToBeginning(added);
      LOG.info("Dashboard reads {} more partitions ({} of {} topics)", added.size(), assignedTopics.size(),
          values.size());
    }
  }

  private void waitForTopics() {
    synchronized (this) {
      try {
        wait(RELOOKUP_MILLIS); // nothing to poll yet; close() notifies
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
