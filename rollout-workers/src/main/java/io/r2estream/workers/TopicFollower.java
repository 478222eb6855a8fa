package io.r2estream.workers;

import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every partition of a topic from the beginning, read_committed, on a thread of its own, handing each
 * record to the owner (an in-memory view such as a catalogue of tasks: like a GlobalKTable without a Streams
 * application around one consumer). Undecodable records are skipped with a warning: the topics it follows are
 * written by the platform's own validated producers.
 *
 * @param <V> the topic's value type
 */
public final class TopicFollower<V extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<V> deserializer;
  private final BiConsumer<String, V> onRecord;
  private final Consumer<String> onTombstone;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /**
   * Starts following.
   *
   * @param name        names the thread and the (never committed) group id
   * @param onRecord    called with each decoded record's key and value, in partition order
   * @param onTombstone called with the key of each record without value
   */
  public TopicFollower(final Map<String, Object> kafka, final String registryUrl, final TopicSpec<V> topic,
      final String name, final BiConsumer<String, V> onRecord, final Consumer<String> onTombstone) {
    final Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-" + UUID.randomUUID());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.deserializer = R2eSerdes.valueSerde(topic, registryUrl).deserializer();
    this.onRecord = onRecord;
    this.onTombstone = onTombstone;
    final List<TopicPartition> parts = consumer.partitionsFor(topic.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::follow, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running.get()) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            onTombstone.accept(r.key());
            continue;
          }
          final V value;
          try {
            value = deserializer.deserialize(r.topic(), r.value());
          } catch (RuntimeException e) {
            LOG.warn("{} at {}-{}@{} cannot be decoded and is ignored: {}", r.key(), r.topic(), r.partition(),
                r.offset(), e.toString());
            continue;
          }
          onRecord.accept(r.key(), value);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
