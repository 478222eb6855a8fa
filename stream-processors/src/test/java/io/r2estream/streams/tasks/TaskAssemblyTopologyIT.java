package io.r2estream.streams.tasks;

import static io.r2estream.streams.tasks.TaskFixtures.better;
import static io.r2estream.streams.tasks.TaskFixtures.statement;
import static io.r2estream.streams.tasks.TaskFixtures.taskId;
import static io.r2estream.streams.tasks.TaskFixtures.validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology run by Kafka Streams under exactly_once_v2 on a real broker (6 partitions per input topic):
 * validations and statements in, in either order, tasks out; a failed re-validation deletes its task and an
 * undecodable record is dead-lettered, all read with read_committed.
 */
class TaskAssemblyTopologyIT {

  private static final String SCOPE = "tasks-it-" + UUID.randomUUID();
  private static final String REGISTRY = "mock://" + SCOPE;
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @TempDir
  Path dir;

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void assemblesTasksFromBothOrdersDeletesRevokedOnesAndDeadLettersGarbage() {
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (KafkaStreams streams = start();
         KafkaProducer<String, EnvValidation> validations = new KafkaProducer<>(p, new StringSerializer(),
             R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, REGISTRY).serializer());
         KafkaProducer<String, ProblemStatement> statements = new KafkaProducer<>(p, new StringSerializer(),
             R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, REGISTRY).serializer());
         KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(),
             new ByteArraySerializer())) {
      // validation first for one task, statement first for the other; a third never qualifies
      validations.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), taskId("aa1"), better("aa1")));
      statements.send(new ProducerRecord<>(Topics.PROBLEM_STATEMENTS.name(), taskId("bb2"), statement("bb2", "B")));
      statements.send(new ProducerRecord<>(Topics.PROBLEM_STATEMENTS.name(), taskId("cc3"), statement("cc3", "C")));
      validations.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), taskId("cc3"),
          validation("cc3", ValidationStatus.NEW_COMMIT_NOT_BETTER, true)));
      raw.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), "k-garbage",
          "garbage".getBytes(StandardCharsets.UTF_8)));
      validations.flush();
      statements.flush();
      raw.flush();
      statements.send(new ProducerRecord<>(Topics.PROBLEM_STATEMENTS.name(), taskId("aa1"), statement("aa1", "A")));
      validations.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), taskId("bb2"), better("bb2")));
      statements.flush();
      validations.flush();

      final List<ConsumerRecord<String, TaskInstance>> first = awaitRecords(Topics.TASKS, 2);
      assertEquals(Map.of(taskId("aa1"), TaskInstances.from(better("aa1"), statement("aa1", "A")),
          taskId("bb2"), TaskInstances.from(better("bb2"), statement("bb2", "B"))), latest(first));

      // a re-validation of aa1 fails: its task is deleted
      validations.send(new ProducerRecord<>(Topics.ENV_VALIDATIONS.name(), taskId("aa1"),
          validation("aa1", ValidationStatus.GOLD_PATCH_UNRESOLVED, false)));
      validations.flush();
      final List<ConsumerRecord<String, TaskInstance>> all = awaitRecords(Topics.TASKS, 3);
      assertEquals(taskId("aa1"), all.get(2).key());
      assertNull(all.get(2).value());

      final List<ConsumerRecord<String, DeadLetter>> dead = awaitRecords(Topics.dlqOf(Topics.ENV_VALIDATIONS), 1);
      assertEquals("k-garbage", dead.get(0).key());
      assertEquals(TaskAssemblyTopology.STAGE, dead.get(0).value().getStage());
      streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
          .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
  }

  private KafkaStreams start() {
    final KafkaStreams streams = new KafkaStreams(TaskAssemblyTopology.build(
        R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, REGISTRY), R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, REGISTRY),
        R2eSerdes.valueSerde(Topics.TASKS, REGISTRY), R2eSerdes.valueSerde(Topics.dlqOf(Topics.ENV_VALIDATIONS),
            REGISTRY)),
        TaskAssemblyTopology.streamsConfig(KAFKA.bootstrapServers(), "tasks-it", REGISTRY, dir.resolve("state")));
    streams.start();
    return streams;
  }

  private static Map<String, TaskInstance> latest(final List<ConsumerRecord<String, TaskInstance>> records) {
    final Map<String, TaskInstance> out = new java.util.HashMap<>();
    records.forEach(r -> out.put(r.key(), r.value()));
    return out;
  }

  /** The topic's committed records, ordered per partition, once it holds {@code count}; fails if it holds more. */
  private static <V extends SpecificRecord> List<ConsumerRecord<String, V>> awaitRecords(final TopicSpec<V> topic,
      final int count) {
    final Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        R2eSerdes.valueSerde(topic, REGISTRY).deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      Awaitility.await().atMost(DEADLINE).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out.size() >= count;
      });
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    // one key per task: per-key order is the partition order, and the deletion was sent last
    out.sort(java.util.Comparator.comparing((ConsumerRecord<String, V> r) -> r.value() == null ? 1 : 0)
        .thenComparingLong(ConsumerRecord::timestamp));
    assertEquals(count, out.size(), () -> topic.name() + " holds " + out);
    return out;
  }
}
