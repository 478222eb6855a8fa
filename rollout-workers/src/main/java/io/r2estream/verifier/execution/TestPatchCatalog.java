package io.r2estream.verifier.execution;

import io.r2estream.avro.TestGenPatch;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Every generated test patch, in memory and kept current, by task then testgen id (a later record of a testgen id
 * replaces the earlier: a redone testing job). The execution-based verifier scores a candidate against its task's
 * test patches, which a separate worker writes at its own pace; like the rollout workers' task catalogue, one
 * consumer reads every partition from the beginning, read_committed. Undecodable records are skipped with a warning
 * (the testing-agent worker writes them).
 */
public final class TestPatchCatalog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestPatchCatalog.class);
  private final Map<String, Map<String, TestGenPatch>> patches = new ConcurrentHashMap<>();
  private final KafkaConsumer<String, byte[]> consumer;
  private final Deserializer<TestGenPatch> deserializer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public TestPatchCatalog(final Map<String, Object> kafka, final String registryUrl) {
    final Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "r2e-testgen-catalog-" + UUID.randomUUID());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    this.deserializer = R2eSerdes.valueSerde(Topics.TESTGEN_PATCHES, registryUrl).deserializer();
    final List<TopicPartition> parts = consumer.partitionsFor(Topics.TESTGEN_PATCHES.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    this.thread = new Thread(this::follow, "r2e-testgen-catalog");
    thread.setDaemon(true);
    thread.start();
  }

  private void follow() {
    try {
      while (running.get()) {
        for (final ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue;
          }
          try {
            final TestGenPatch p = deserializer.deserialize(r.topic(), r.value());
            patches.computeIfAbsent(p.getTaskId(), k -> new ConcurrentHashMap<>()).put(p.getTestgenId(), p);
          } catch (RuntimeException e) {
            LOG.warn("test patch {} at {}-{}@{} cannot be decoded and is ignored: {}", r.key(), r.topic(),
                r.partition(), r.offset(), e.toString());
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  /** The task's test patches now, ordered by testgen id. */
  public List<TestGenPatch> forTask(final String taskId) {
    return patches.getOrDefault(taskId, Map.of()).values().stream()
        .sorted(Comparator.comparing(TestGenPatch::getTestgenId)).toList();
  }

  /** The task's test patches once there are at least {@code count}, or those there are after {@code timeout}. */
  public List<TestGenPatch> await(final String taskId, final int count, final Duration timeout)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && forTask(taskId).size() < count) {
      Thread.sleep(50);
    }
    return forTask(taskId);
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
