package io.r2estream.rollout;

import io.r2estream.avro.TaskInstance;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * Every task of the compacted task topic, in memory and kept current: a rollout request names a task by id, and a
 * worker may be asked for any of them (like a GlobalKTable, without a Streams application around one consumer).
 * Reads every partition from the beginning; a tombstone removes a task; undecodable records are skipped with a
 * warning (the task-assembly topology and `r2e tasks import` validate what they write).
 */
public final class TaskCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TaskCatalog.class);
  private final Map<String, TaskInstance> tasks = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<TaskInstance> deserializer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public TaskCatalog(final Map<String, Object> kafka, final String registryUrl) {
    final Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "r2e-task-catalog-" + UUID.randomUUID());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.deserializer = R2eSerdes.valueSerde(Topics.TASKS, registryUrl).deserializer();
    final List<TopicPartition> parts = consumer.partitionsFor(Topics.TASKS.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::follow, "r2e-task-catalog");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running.get()) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            tasks.remove(r.key());
            continue;
          }
          try {
            tasks.put(r.key(), deserializer.deserialize(r.topic(), r.value()));
          } catch (RuntimeException e) {
            LOG.warn("task {} at {}-{}@{} cannot be decoded and is ignored: {}", r.key(), r.topic(), r.partition(),
                r.offset(), e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  public Optional<TaskInstance> get(final String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** The task, waiting up to {@code timeout} for it to arrive (requests may be published right after tasks). */
  public Optional<TaskInstance> await(final String taskId, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      final TaskInstance t = tasks.get(taskId);
      if (t != null) {
        return Optional.of(t);
      }
      synchronized (this) {
        wait(50);
      }
    }
    return get(taskId);
  }

  public int size() {
    return tasks.size();
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
