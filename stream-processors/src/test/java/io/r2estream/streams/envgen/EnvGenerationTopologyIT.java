package io.r2estream.streams.envgen;

import static io.r2estream.streams.envgen.CommitFixture.commit;
import static io.r2estream.streams.envgen.CommitSelectorTest.BEFORE;
import static io.r2estream.streams.envgen.CommitSelectorTest.CODE;
import static io.r2estream.streams.envgen.CommitSelectorTest.FIXED;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST_AFTER;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST_BEFORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real KRaft broker under exactly_once_v2: outcomes and dead letters are read with
 * read_committed, re-ingestion duplicates nothing, and a restart with another configuration re-decides.
 */
class EnvGenerationTopologyIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private final String scope = "envgen-it-" + UUID.randomUUID();
  private final String registry = "mock://" + scope;
  private EmbeddedKafkaBroker broker;
  private Serde<CommitEvent> commitSerde;
  private KafkaProducer<String, CommitEvent> producer;
  private KafkaProducer<String, byte[]> rawProducer;

  @BeforeEach
  void startBroker() {
    broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0).start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
    }
    commitSerde = R2eSerdes.valueSerde(Topics.COMMITS, registry);
    final Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    producer = new KafkaProducer<>(p, new StringSerializer(), commitSerde.serializer());
    rawProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void stopBroker() {
    producer.close();
    rawProducer.close();
    broker.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void decidesCommitsDeadLettersBadRecordsAndDeduplicatesReIngestion() {
    // 1. arrange: every input on partition 0 so that the last one proves the earlier ones were processed
    final CommitFixture fix = commit().sha("f1x").modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);
    final CommitFixture docs = commit().sha("d0c")
        .modify(CODE, BEFORE, BEFORE.replace("Area of a rectangle.", "Area."))
        .modify(TEST, TEST_BEFORE, TEST_AFTER);
    final CommitFixture untested = commit().sha("n0t").modify(CODE, BEFORE, FIXED);
    final SweGenConfig first = SweGenConfig.defaults();
    final SweGenConfig second = SweGenConfig.fromProperties(Map.of(SweGenConfig.MAX_EDITED_ENTITIES_CONFIG, "3"));

    // 2. first life: a fix, a docstring-only commit, garbage, a malformed event, the fix again, a sentinel
    try (KafkaStreams streams = start(first)) {
      send(fix);
      send(docs);
      rawProducer.send(new ProducerRecord<>(Topics.COMMITS.name(), 0, "k-garbage",
          "garbage".getBytes(StandardCharsets.UTF_8)));
      rawProducer.flush();
      producer.send(new ProducerRecord<>(Topics.COMMITS.name(), 0, "k-malformed",
          commit().repository("").build()));
      producer.flush();
      send(fix);
      send(untested);
      awaitRecords(Topics.COMMITS_REJECTED, 2);
      stop(streams);
    }
    // 3. second life, same application id and state: re-ingesting the fix re-decides it once with the new version
    try (KafkaStreams streams = start(second)) {
      send(fix);
      send(fix);
      send(untested);
      awaitRecords(Topics.COMMITS_REJECTED, 3);
      stop(streams);
    }

    // 4. assert whole topics
    final List<ConsumerRecord<String, EnvCandidate>> candidates = awaitRecords(Topics.ENV_CANDIDATES, 2);
    assertEquals(List.of(fix.taskId(), fix.taskId()), candidates.stream().map(ConsumerRecord::key).toList());
    assertEquals(List.of(first.fingerprint(), second.fingerprint()),
        candidates.stream().map(r -> r.value().getSelectorVersion()).toList());
    assertEquals(fix.build().getFiles().get(0).getPatch(), candidates.get(0).value().getCodePatch());
    final List<ConsumerRecord<String, CommitRejection>> rejections = awaitRecords(Topics.COMMITS_REJECTED, 3);
    assertEquals(List.of("docstring_only", "no_test_entity_edit", "no_test_entity_edit"),
        rejections.stream().map(r -> r.value().getRule()).toList());
    final List<ConsumerRecord<String, DeadLetter>> dead = awaitRecords(Topics.dlqOf(Topics.COMMITS), 2);
    assertEquals(List.of("k-garbage", "k-malformed"), dead.stream().map(ConsumerRecord::key).toList());
    assertEquals("org.apache.kafka.common.errors.SerializationException", dead.get(0).value().getErrorClass());
    assertEquals("garbage", StandardCharsets.UTF_8.decode(dead.get(0).value().getValue()).toString());
    assertEquals(2L, dead.get(0).value().getSourceOffset());
    assertEquals("java.lang.IllegalArgumentException", dead.get(1).value().getErrorClass());
    assertTrue(dead.get(1).value().getErrorMessage().contains("repository and sha are required"));
    assertEquals("env-generation", dead.get(1).value().getStage());
  }

  private KafkaStreams start(final SweGenConfig config) {
    final Properties props = EnvGenerationTopology.streamsConfig(broker.bootstrapServers(), "envgen-it", registry,
        dir.resolve("state"));
    final KafkaStreams streams = new KafkaStreams(EnvGenerationTopology.build(config, commitSerde,
        R2eSerdes.valueSerde(Topics.ENV_CANDIDATES, registry), R2eSerdes.valueSerde(Topics.COMMITS_REJECTED, registry),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.COMMITS), registry)), props);
    streams.start();
    return streams;
  }

  /** Leaves the group on close, so the next instance does not wait out the session timeout of this one. */
  private static void stop(final KafkaStreams streams) {
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }

  private void send(final CommitFixture fixture) {
    producer.send(new ProducerRecord<>(Topics.COMMITS.name(), 0, fixture.taskId(), fixture.build()));
    producer.flush();
  }

  /** Reads a topic from the start (committed records only) until it holds {@code count} records. */
  private <V extends org.apache.avro.specific.SpecificRecord> List<ConsumerRecord<String, V>> awaitRecords(
      final TopicSpec<V> topic, final int count) {
    final Map<String, Object> p = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    final List<ConsumerRecord<String, V>> out = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
        R2eSerdes.valueSerde(topic, registry).deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      Awaitility.await().atMost(DEADLINE).until(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out.size() >= count;
      });
      // Anything beyond the expected count would be a duplicate: give it one more poll to show up.
      consumer.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    out.sort(java.util.Comparator.comparingInt((ConsumerRecord<String, V> r) -> r.partition())
        .thenComparingLong(ConsumerRecord::offset));
    assertEquals(count, out.size(), () -> topic.name() + " holds " + out);
    return out;
  }
}
