package io.r2estream.producers.commits;

import io.r2estream.avro.CommitEvent;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroSerializer;
import io.r2estream.topics.TaskIds;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes commit events to {@link Topics#COMMITS}, keyed by {@link TaskIds#of} so that re-ingesting a history
 * overwrites (compacted topic) instead of duplicating. Idempotent, acks=all, lz4-compressed batches. Delivery
 * failures are never swallowed: the first one of a {@link #publishAll} call stops it and is thrown as a
 * {@link PublishException}; the call returns only after everything it sent is acknowledged.
 * Thread-safe: concurrent calls share one producer but track their own deliveries.
 */
public final class CommitPublisher implements AutoCloseable {

  /** Enough to fill large batches while a scan renders the next commits. */
  public static final int LINGER_MS = 20;
  public static final int BATCH_BYTES = 512 * 1024;
  public static final long BUFFER_BYTES = 64L * 1024 * 1024;
  public static final String CLIENT_ID = "r2e-commit-publisher";

  private final KafkaProducer<String, CommitEvent> producer;
  private final String topic;

  /**
   * @param config producer configs plus {@value SchemaRegistryClients#URL_CONFIG}; see {@link #config}
   */
  public CommitPublisher(final Map<String, Object> config) {
    final Map<String, Object> producerConfig = new HashMap<>(config);
    final Object registryUrl = producerConfig.remove(SchemaRegistryClients.URL_CONFIG);
    if (registryUrl == null) {
      throw new IllegalArgumentException("'" + SchemaRegistryClients.URL_CONFIG + "' is required to publish commits");
    }
    final AvroSerializer<CommitEvent> values = new AvroSerializer<>();
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), values);
    this.topic = Topics.COMMITS.name();
  }

  public CommitPublisher(final String bootstrapServers, final String registryUrl) {
    this(config(bootstrapServers, registryUrl));
  }

  /** The publisher's producer settings; callers may override entries before passing them in. */
  public static Map<String, Object> config(final String bootstrapServers, final String registryUrl) {
    return config(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), registryUrl);
  }

  /** As {@link #config(String, String)} from full Kafka client properties (bootstrap servers, security). */
  public static Map<String, Object> config(final Map<String, Object> kafkaClient, final String registryUrl) {
    final Map<String, Object> c = new HashMap<>(kafkaClient);
    c.put(SchemaRegistryClients.URL_CONFIG, registryUrl);
    c.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    c.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    c.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES);
    c.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
    // One event may be up to the topic's limit; the scanner keeps them well below it.
    c.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return c;
  }

  /** Publishes one event and waits for its acknowledgement. */
  public void publish(final CommitEvent event) {
    publishAll(java.util.List.of(event).iterator(), n -> { });
  }

  /**
   * Sends every event, then flushes.
   *
   * @param events events to send, consumed lazily
   * @param onSent called with the number of events handed to the producer so far
   * @return the number of events acknowledged by the broker (all of them, or this throws)
   * @throws PublishException on the first failed delivery or serialization
   */
  public long publishAll(final Iterator<CommitEvent> events, final LongConsumer onSent) {
    final AtomicReference<PublishException> failure = new AtomicReference<>();
    final AtomicLong acked = new AtomicLong();
    long sent = 0;
    while (events.hasNext()) {
      throwIfFailed(failure);
      final CommitEvent event = events.next();
      final String key = TaskIds.of(event.getRepository(), event.getSha());
      try {
        producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
          if (error == null) {
            acked.incrementAndGet();
          } else {
            failure.compareAndSet(null, failed(key, error));
          }
        });
      } catch (RuntimeException e) {
        throw failed(key, e);
      }
      onSent.accept(++sent);
    }
    producer.flush();
    throwIfFailed(failure);
    return acked.get();
  }

  private PublishException failed(final String key, final Throwable error) {
    return new PublishException("cannot publish commit " + key + " to " + topic + ": "
        + error.getClass().getSimpleName() + ": " + error.getMessage(), error);
  }

  private static void throwIfFailed(final AtomicReference<PublishException> failure) {
    final PublishException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
