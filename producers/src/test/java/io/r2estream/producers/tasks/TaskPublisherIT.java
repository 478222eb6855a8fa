package io.r2estream.producers.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.TaskInstance;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.topics.Topics;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tasks published to the real broker read back as the latest value per instance id, tombstones removing. */
class TaskPublisherIT {

  private static final String SCOPE = "task-publisher-it";
  private static final String REGISTRY = "mock://" + SCOPE;

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void publishesByInstanceIdAndTheReaderKeepsTheLatestOfEach() {
    final TaskInstance a = TaskSamples.task("a1");
    final TaskInstance b = TaskSamples.task("b2");
    final TaskInstance c = TaskSamples.task("c3");
    final TaskInstance aAgain = TaskInstance.newBuilder(a).setProblemStatement("reworded").build();
    try (TaskPublisher publisher = new TaskPublisher(KAFKA.bootstrapServers(), REGISTRY)) {
      publisher.publishAll(List.of(a, b, c));
      publisher.publishAll(List.of(aAgain));
      final TaskInstance invalid = TaskInstance.newBuilder(TaskSamples.task("d4")).setBaseCommit(" ").build();
      final RowException e = assertThrows(RowException.class, () -> publisher.publishAll(List.of(
          TaskSamples.task("e5"), invalid)));
      assertEquals("acme/widgets@d4: base_commit is required and must not be blank", e.getMessage());
    }
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        KAFKA.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(Topics.TASKS.name(), c.getInstanceId(), null));
      raw.flush();
    }

    final SortedMap<String, TaskInstance> tasks = TaskTopicReader.readAll(KAFKA.bootstrapServers(), REGISTRY);

    assertEquals(List.of(a.getInstanceId(), b.getInstanceId()), List.copyOf(tasks.keySet()),
        "c deleted by its tombstone; nothing of the refused batch (e5 was valid) was published");
    assertEquals(aAgain, tasks.get(a.getInstanceId()));
    assertEquals(b, tasks.get(b.getInstanceId()));
    assertTrue(TaskTopicReader.readAll(KAFKA.bootstrapServers(), REGISTRY).containsKey(b.getInstanceId()),
        "reading again gives the same catalogue");
  }
}
