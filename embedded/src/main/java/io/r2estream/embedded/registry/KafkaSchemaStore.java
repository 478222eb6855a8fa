package io.r2estream.embedded.registry;

import io.r2estream.embedded.registry.RegistryRecord.SchemaVersion;
import io.r2estream.embedded.registry.RegistryRecord.SubjectConfig;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.SchemaRegistryException;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every piece of registry state in the compacted topic {@link Topics#SCHEMAS_TOPIC}, like Confluent's
 * KafkaStore: a reader thread applies the topic to a {@link RegistryState}; a write appends the planned records
 * (acks=all) and answers only once the reader has applied them, so a client reads its own writes and the ids
 * survive restarts. One store writes to a topic at a time (no leader election).
 */
public final class KafkaSchemaStore implements AutoCloseable {

  /** How long start-up may take to read the topic, and a write to be acknowledged and read back. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaStore.class);
  private static final TopicPartition PARTITION = new TopicPartition(Topics.SCHEMAS_TOPIC, 0);

  private final RegistryState state = new RegistryState();
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread reader;
  private final Object progress = new Object();
  private volatile boolean running = true;
  private long readUpTo;
  private Exception readerFailure;

  private KafkaSchemaStore(final Map<String, Object> client) {
    final Map<String, Object> p = new java.util.HashMap<>(client);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    final Map<String, Object> c = new java.util.HashMap<>(client);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    reader = new Thread(this::readLoop, "r2e-schema-store-reader");
    reader.setDaemon(true);
  }

  /** The end offset of the schemas topic, once its partition has a leader (it may have just been created). */
  private static long endOffset(final Admin admin) throws Exception {
    io.r2estream.topics.TopicCreator.awaitLeaders(admin, List.of(Topics.SCHEMAS_TOPIC), TIMEOUT);
    return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest())).all()
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(PARTITION).offset();
  }

  /** Creates the topic if missing, then reads it to its end before returning. */
  public static KafkaSchemaStore start(final String bootstrapServers) {
    return start(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  /**
   * As {@link #start(String)} with full client properties (bootstrap servers and security settings, see
   * {@code io.r2estream.config.KafkaClientConfig}).
   */
  public static KafkaSchemaStore start(final Map<String, Object> client) {
    final Object bootstrapServers = client.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    final long end;
    try (Admin admin = Admin.create(client)) {
      final int brokers = admin.describeCluster().nodes().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
      try {
        admin.createTopics(List.of(new NewTopic(Topics.SCHEMAS_TOPIC, 1, (short) Math.min(3, brokers))
            .configs(Map.of("cleanup.policy", "compact")))).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      end = endOffset(admin);
    } catch (Exception e) {
      throw new IllegalStateException("cannot prepare the schemas topic " + Topics.SCHEMAS_TOPIC + " on "
          + bootstrapServers + ": " + e.getMessage(), e);
    }
    final KafkaSchemaStore store = new KafkaSchemaStore(client);
    store.reader.start();
    try {
      store.awaitRead(end);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** The state as of the last record read; safe to query from any thread. */
  RegistryState state() {
    return state;
  }

  /** Registers a schema under a subject and returns its id (existing versions are not written again). */
  public synchronized int register(final String subject, final String schemaText) {
    final Schema schema = RegistryState.parse(schemaText);
    final RegistryState.Registration plan = state.planRegister(subject, schema);
    plan.toAppend().ifPresent(v -> append(List.of(v)));
    return plan.id();
  }

  /** Soft-deletes every live version of the subject and returns their numbers. */
  public synchronized List<Integer> deleteSubject(final String subject) {
    final List<SchemaVersion> deleted = state.planDeleteSubject(subject);
    append(deleted);
    return deleted.stream().map(SchemaVersion::version).toList();
  }

  /** Sets the compatibility level of a subject, or the global one when subject is null. */
  public synchronized void setCompatibility(final String subject, final CompatibilityLevel level) {
    append(List.of(new SubjectConfig(subject, level)));
  }

  private void append(final List<? extends RegistryRecord> records) {
    long last = -1;
    try {
      for (final RegistryRecord r : records) {
        last = producer.send(new ProducerRecord<>(Topics.SCHEMAS_TOPIC, 0, r.keyBytes(), r.valueBytes()))
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).offset();
      }
    } catch (Exception e) {
      throw new SchemaRegistryException(500, 50001, "Error while writing to " + Topics.SCHEMAS_TOPIC + ": " + e);
    }
    awaitRead(last + 1);
  }

  /** Blocks until the reader has applied every record before {@code offset}. */
  private void awaitRead(final long offset) {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    synchronized (progress) {
      while (readUpTo < offset && readerFailure == null) {
        final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          throw new SchemaRegistryException(500, 50002, "Timed out after " + TIMEOUT + " reading "
              + Topics.SCHEMAS_TOPIC + " up to offset " + offset + " (read up to " + readUpTo + ")");
        }
        try {
          progress.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryException(500, 50002, "Interrupted while reading " + Topics.SCHEMAS_TOPIC);
        }
      }
      if (readerFailure != null) {
        throw new SchemaRegistryException(500, 50001, "The reader of " + Topics.SCHEMAS_TOPIC + " failed: "
            + readerFailure);
      }
    }
  }

  private void readLoop() {
    try {
      consumer.assign(List.of(PARTITION));
      consumer.seekToBeginning(List.of(PARTITION));
      while (running) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          RegistryRecord.decode(r.key(), r.value()).ifPresent(state::apply);
        }
        final long position = consumer.position(PARTITION);
        synchronized (progress) {
          readUpTo = position;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // close() stops the loop
    } catch (RuntimeException e) {
      LOG.error("Schema store reader stopped on {}", Topics.SCHEMAS_TOPIC, e);
      synchronized (progress) {
        readerFailure = e;
        progress.notifyAll();
      }
    } finally {
      consumer.close();
    }
  }

  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    consumer.wakeup();
    try {
      reader.join(TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
