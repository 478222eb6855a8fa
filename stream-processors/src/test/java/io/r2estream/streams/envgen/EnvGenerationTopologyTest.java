package io.r2estream.streams.envgen;

import static io.r2estream.streams.envgen.CommitFixture.commit;
import static io.r2estream.streams.envgen.CommitSelectorTest.BEFORE;
import static io.r2estream.streams.envgen.CommitSelectorTest.CODE;
import static io.r2estream.streams.envgen.CommitSelectorTest.FIXED;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST_AFTER;
import static io.r2estream.streams.envgen.CommitSelectorTest.TEST_BEFORE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvGenerationTopologyTest {

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, CommitEvent> commits;
  private TestInputTopic<String, byte[]> rawCommits;
  private TestOutputTopic<String, EnvCandidate> candidates;
  private TestOutputTopic<String, CommitRejection> rejections;
  private TestOutputTopic<String, DeadLetter> deadLetters;
  private Serde<CommitEvent> commitSerde;
  private final String scope = "envgen-" + UUID.randomUUID();

  @BeforeEach
  void start() {
    start(null);
  }

  /** @param guarantee processing.guarantee override, or null for the topology's exactly_once_v2 */
  private void start(final String guarantee) {
    final String registry = "mock://" + scope;
    commitSerde = R2eSerdes.valueSerde(Topics.COMMITS, registry);
    final Serde<EnvCandidate> candidateSerde = R2eSerdes.valueSerde(Topics.ENV_CANDIDATES, registry);
    final Serde<CommitRejection> rejectionSerde = R2eSerdes.valueSerde(Topics.COMMITS_REJECTED, registry);
    final Serde<DeadLetter> deadLetterSerde = R2eSerdes.valueSerde(Topics.dlqOf(Topics.COMMITS), registry);
    driver = new TopologyTestDriver(
        EnvGenerationTopology.build(SweGenConfig.defaults(), commitSerde, candidateSerde, rejectionSerde,
            deadLetterSerde),
        withGuarantee(EnvGenerationTopology.streamsConfig("unused:9092", "envgen-test", registry, stateDir),
            guarantee));
    commits = driver.createInputTopic(Topics.COMMITS.name(), new StringSerializer(), commitSerde.serializer());
    rawCommits = driver.createInputTopic(Topics.COMMITS.name(), new StringSerializer(), new ByteArraySerializer());
    candidates = driver.createOutputTopic(Topics.ENV_CANDIDATES.name(), new StringDeserializer(),
        candidateSerde.deserializer());
    rejections = driver.createOutputTopic(Topics.COMMITS_REJECTED.name(), new StringDeserializer(),
        rejectionSerde.deserializer());
    deadLetters = driver.createOutputTopic(Topics.dlqOf(Topics.COMMITS).name(), new StringDeserializer(),
        deadLetterSerde.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void aBugFixWithItsTestBecomesExactlyOneCandidate() {
    // 1. arrange
    final CommitFixture fix = commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);
    // 2. pipe input
    commits.pipeInput(fix.taskId(), fix.build());
    // 3. assert
    final List<KeyValue<String, EnvCandidate>> out = candidates.readKeyValuesToList();
    assertEquals(1, out.size());
    assertEquals(fix.taskId(), out.get(0).key);
    final EnvCandidate c = out.get(0).value;
    assertEquals(fix.build().getFiles().get(0).getPatch(), c.getCodePatch());
    assertEquals(fix.build().getFiles().get(1).getPatch(), c.getTestPatch());
    assertEquals(List.of(new Entity(CODE, EntityKind.FUNCTION, "area", EntityChange.MODIFIED, 4, 6)),
        c.getModifiedEntities());
    assertEquals(List.of("test_area"), c.getTestEntities().stream().map(Entity::getName).toList());
    assertTrue(rejections.isEmpty());
    assertTrue(deadLetters.isEmpty());
  }

  @Test
  void aDocstringOnlyCommitIsRejectedWithItsRule() {
    final CommitFixture docs = commit()
        .modify(CODE, BEFORE, BEFORE.replace("Area of a rectangle.", "Area of a rectangle, in square units."))
        .modify(TEST, TEST_BEFORE, TEST_AFTER);

    commits.pipeInput(docs.taskId(), docs.build());

    final Map<String, CommitRejection> out = rejections.readKeyValuesToMap();
    assertEquals(List.of(docs.taskId()), List.copyOf(out.keySet()));
    assertEquals("docstring_only", out.get(docs.taskId()).getRule());
    assertTrue(candidates.isEmpty());
  }

  @Test
  void undecodableAndMalformedRecordsAreDeadLetteredAndProcessingGoesOn() {
    // The test driver does not surface the dead letters a deserialization handler returns while a transaction
    // is open (EOS); EnvGenerationTopologyIT checks them under exactly_once_v2 on a real broker.
    driver.close();
    start(StreamsConfig.AT_LEAST_ONCE);
    // 1. arrange: garbage bytes, a wire-format record with an unknown schema id, a blank repository
    final byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
    final byte[] unknownSchema = {0, 0, 0, 0x7f, 0x7f, 1, 2, 3};
    final CommitEvent blankRepository = commit().repository(" ").build();
    final CommitFixture fix = commit().sha("f1x").modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);
    // 2. pipe input
    rawCommits.pipeInput("k-garbage", garbage);
    rawCommits.pipeInput("k-unknown", unknownSchema);
    commits.pipeInput("k-malformed", blankRepository);
    commits.pipeInput(fix.taskId(), fix.build());
    // 3. assert
    final List<KeyValue<String, DeadLetter>> dead = deadLetters.readKeyValuesToList();
    assertEquals(List.of("k-garbage", "k-unknown", "k-malformed"), dead.stream().map(kv -> kv.key).toList());
    final DeadLetter first = dead.get(0).value;
    assertEquals(Topics.COMMITS.name(), first.getSourceTopic());
    assertEquals(0L, first.getSourceOffset());
    assertEquals("env-generation", first.getStage());
    assertEquals("org.apache.kafka.common.errors.SerializationException", first.getErrorClass());
    assertTrue(first.getErrorMessage().contains("not the Confluent magic byte"), first.getErrorMessage());
    assertArrayEquals(garbage, bytes(first.getValue()));
    assertArrayEquals("k-garbage".getBytes(StandardCharsets.UTF_8), bytes(first.getKey()));
    assertTrue(dead.get(1).value.getErrorMessage().contains("schema id 32639"),
        dead.get(1).value.getErrorMessage());
    assertArrayEquals(unknownSchema, bytes(dead.get(1).value.getValue()));
    final DeadLetter malformed = dead.get(2).value;
    assertEquals("java.lang.IllegalArgumentException", malformed.getErrorClass());
    assertTrue(malformed.getErrorMessage().contains("repository and sha are required"), malformed.getErrorMessage());
    assertEquals(2L, malformed.getSourceOffset());
    assertEquals(blankRepository, commitSerde.deserializer().deserialize(Topics.COMMITS.name(),
        bytes(malformed.getValue())));
    assertEquals(List.of(fix.taskId()), candidates.readKeyValuesToList().stream().map(kv -> kv.key).toList());
  }

  @Test
  void aRecordKeyedWithAnotherTaskIdIsDeadLettered() {
    final CommitFixture fix = commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);

    commits.pipeInput("someone-else@123", fix.build());

    final DeadLetter letter = deadLetters.readValue();
    assertTrue(letter.getErrorMessage().contains("is not the task id 'acme/widgets@c0ffee'"),
        letter.getErrorMessage());
    assertTrue(candidates.isEmpty());
  }

  @Test
  void reIngestingTheSameCommitEmitsNothingMoreAndTombstonesAreIgnored() {
    final CommitFixture fix = commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);
    final CommitFixture docs = commit().sha("d0c")
        .modify(CODE, BEFORE, BEFORE.replace("Area of a rectangle.", "Area."))
        .modify(TEST, TEST_BEFORE, TEST_AFTER);

    commits.pipeInput(fix.taskId(), fix.build());
    commits.pipeInput(docs.taskId(), docs.build());
    commits.pipeInput(fix.taskId(), fix.build());
    commits.pipeInput(docs.taskId(), docs.build());
    commits.pipeInput(fix.taskId(), null);

    assertEquals(1, candidates.readKeyValuesToList().size());
    assertEquals(1, rejections.readKeyValuesToList().size());
    assertTrue(deadLetters.isEmpty());
    assertEquals(SweGenConfig.defaults().fingerprint(),
        driver.<String, String>getKeyValueStore(EnvGenerationTopology.DECIDED_STORE).get(fix.taskId()));
    final double duplicates = driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("duplicate-total"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    assertEquals(2.0, duplicates);
  }

  private static Properties withGuarantee(final Properties p, final String guarantee) {
    if (guarantee != null) {
      p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    }
    return p;
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final ByteBuffer b = buffer.duplicate();
    final byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
