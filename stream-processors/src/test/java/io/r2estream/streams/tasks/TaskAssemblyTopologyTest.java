package io.r2estream.streams.tasks;

import static io.r2estream.streams.tasks.TaskFixtures.better;
import static io.r2estream.streams.tasks.TaskFixtures.statement;
import static io.r2estream.streams.tasks.TaskFixtures.taskId;
import static io.r2estream.streams.tasks.TaskFixtures.validation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
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

class TaskAssemblyTopologyTest {

  @TempDir
  Path stateDir;

  private final String scope = "tasks-" + UUID.randomUUID();
  private TopologyTestDriver driver;
  private Serde<EnvValidation> validationSerde;
  private TestInputTopic<String, EnvValidation> validations;
  private TestInputTopic<String, ProblemStatement> statements;
  private TestInputTopic<String, byte[]> rawValidations;
  private TestInputTopic<String, byte[]> rawStatements;
  private TestOutputTopic<String, TaskInstance> tasks;
  private TestOutputTopic<String, DeadLetter> validationLetters;
  private TestOutputTopic<String, DeadLetter> statementLetters;

  @BeforeEach
  void start() {
    start(null);
  }

  /** @param guarantee processing.guarantee override, or null for exactly_once_v2 */
  private void start(final String guarantee) {
    final String registry = "mock://" + scope;
    validationSerde = R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, registry);
    final Serde<ProblemStatement> statementSerde = R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, registry);
    final Serde<TaskInstance> taskSerde = R2eSerdes.valueSerde(Topics.TASKS, registry);
    final Serde<DeadLetter> letterSerde = R2eSerdes.valueSerde(Topics.dlqOf(Topics.ENV_VALIDATIONS), registry);
    final Properties props = TaskAssemblyTopology.streamsConfig("unused:9092", "tasks-test", registry, stateDir);
    if (guarantee != null) {
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
    }
    driver = new TopologyTestDriver(TaskAssemblyTopology.build(validationSerde, statementSerde, taskSerde,
        letterSerde), props);
    validations = driver.createInputTopic(Topics.ENV_VALIDATIONS.name(), new StringSerializer(),
        validationSerde.serializer());
    statements = driver.createInputTopic(Topics.PROBLEM_STATEMENTS.name(), new StringSerializer(),
        statementSerde.serializer());
    rawValidations = driver.createInputTopic(Topics.ENV_VALIDATIONS.name(), new StringSerializer(),
        new ByteArraySerializer());
    rawStatements = driver.createInputTopic(Topics.PROBLEM_STATEMENTS.name(), new StringSerializer(),
        new ByteArraySerializer());
    tasks = driver.createOutputTopic(Topics.TASKS.name(), new StringDeserializer(), taskSerde.deserializer());
    validationLetters = driver.createOutputTopic(Topics.dlqOf(Topics.ENV_VALIDATIONS).name(),
        new StringDeserializer(), letterSerde.deserializer());
    statementLetters = driver.createOutputTopic(Topics.dlqOf(Topics.PROBLEM_STATEMENTS).name(),
        new StringDeserializer(), letterSerde.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void aBetterValidationAndItsStatementMakeOneTask() {
    validations.pipeInput(taskId("a1"), better("a1"));
    assertTrue(tasks.isEmpty(), "no task before the statement");

    statements.pipeInput(taskId("a1"), statement("a1", "area() is wrong"));

    final List<KeyValue<String, TaskInstance>> out = tasks.readKeyValuesToList();
    assertEquals(List.of(KeyValue.pair(taskId("a1"),
        TaskInstances.from(better("a1"), statement("a1", "area() is wrong")))), out);
  }

  @Test
  void aStatementArrivingFirstIsJoinedWhenTheValidationComes() {
    statements.pipeInput(taskId("b2"), statement("b2", "early statement"));
    assertTrue(tasks.isEmpty());

    validations.pipeInput(taskId("b2"), better("b2"));

    final TaskInstance t = tasks.readValue();
    assertEquals(taskId("b2"), t.getInstanceId());
    assertEquals("early statement", t.getProblemStatement());
    assertTrue(tasks.isEmpty());
  }

  @Test
  void aNewerStatementOrValidationUpdatesTheTask() {
    validations.pipeInput(taskId("c3"), better("c3"));
    statements.pipeInput(taskId("c3"), statement("c3", "first wording"));
    statements.pipeInput(taskId("c3"), statement("c3", "second wording"));
    final EnvValidation revalidated = EnvValidation.newBuilder(better("c3"))
        .setPassToPass(List.of("tests/test_other.py::test_ok", "tests/test_other.py::test_more")).build();
    validations.pipeInput(taskId("c3"), revalidated);

    final List<TaskInstance> out = tasks.readValuesToList();
    assertEquals(List.of("first wording", "second wording", "second wording"),
        out.stream().map(TaskInstance::getProblemStatement).toList());
    assertEquals(List.of("tests/test_other.py::test_ok", "tests/test_other.py::test_more"),
        out.get(2).getPASSTOPASS());
  }

  @Test
  void aReValidationThatNoLongerQualifiesDeletesTheTask() {
    validations.pipeInput(taskId("d4"), better("d4"));
    statements.pipeInput(taskId("d4"), statement("d4", "flaky now"));
    validations.pipeInput(taskId("d4"), validation("d4", ValidationStatus.NEW_COMMIT_NOT_BETTER, true));
    validations.pipeInput(taskId("d4"), validation("d4", ValidationStatus.INFRA_ERROR, false));

    final List<KeyValue<String, TaskInstance>> out = tasks.readKeyValuesToList();
    assertEquals(2, out.size(), out::toString);
    assertEquals(taskId("d4"), out.get(1).key);
    assertNull(out.get(1).value, "the task is deleted once, with a tombstone");
    // qualifying again brings it back
    validations.pipeInput(taskId("d4"), better("d4"));
    assertEquals("flaky now", tasks.readValue().getProblemStatement());
  }

  @Test
  void aGoldPatchThatDoesNotResolveOrAValidationTombstoneDeletesTheTask() {
    validations.pipeInput(taskId("e5"), better("e5"));
    statements.pipeInput(taskId("e5"), statement("e5", "s"));
    validations.pipeInput(taskId("e5"), validation("e5", ValidationStatus.NEW_COMMIT_BETTER, false));
    validations.pipeInput(taskId("f6"), better("f6"));
    statements.pipeInput(taskId("f6"), statement("f6", "s"));
    validations.pipeInput(taskId("f6"), null);

    final List<KeyValue<String, TaskInstance>> out = tasks.readKeyValuesToList();
    assertEquals(List.of(taskId("e5"), taskId("e5"), taskId("f6"), taskId("f6")),
        out.stream().map(kv -> kv.key).toList());
    assertNull(out.get(1).value);
    assertNull(out.get(3).value);
  }

  @Test
  void validationsThatNeverQualifiedNeverReachTheTasksTopic() {
    for (final ValidationStatus s : ValidationStatus.values()) {
      final String sha = "n" + s.ordinal();
      statements.pipeInput(taskId(sha), statement(sha, "statement of a commit that is no task"));
      validations.pipeInput(taskId(sha), validation(sha, s, s != ValidationStatus.NEW_COMMIT_BETTER));
      validations.pipeInput(taskId(sha), validation(sha, s, false));
    }

    // every non-BETTER status with a resolving gold patch, and BETTER with one that does not resolve
    assertTrue(tasks.isEmpty(), () -> "no task and no tombstone for ids that were never tasks: "
        + tasks.readKeyValuesToList());
    assertTrue(validationLetters.isEmpty());
  }

  @Test
  void defectiveRecordsAreDeadLetteredWithTheirBytes() {
    final EnvValidation noCandidate = EnvValidation.newBuilder(better("g7")).setCandidate(null).build();
    validations.pipeInput(taskId("g7"), noCandidate);
    validations.pipeInput("someone@else", better("h8"));
    statements.pipeInput("someone@else", statement("h8", "s"));
    validations.pipeInput(taskId("h8"), better("h8"));
    statements.pipeInput(taskId("h8"), statement("h8", "s"));

    final List<KeyValue<String, DeadLetter>> dead = validationLetters.readKeyValuesToList();
    assertEquals(List.of(taskId("g7"), "someone@else"), dead.stream().map(kv -> kv.key).toList());
    final DeadLetter first = dead.get(0).value;
    assertEquals(Topics.ENV_VALIDATIONS.name(), first.getSourceTopic());
    assertEquals(0L, first.getSourceOffset());
    assertEquals(TaskAssemblyTopology.STAGE, first.getStage());
    assertEquals("java.lang.IllegalArgumentException", first.getErrorClass());
    assertTrue(first.getErrorMessage().contains("carries no candidate"), first.getErrorMessage());
    assertEquals(noCandidate, validationSerde.deserializer().deserialize(Topics.ENV_VALIDATIONS.name(),
        bytes(first.getValue())));
    assertTrue(dead.get(1).value.getErrorMessage().contains("is not the task id"));
    final DeadLetter statementLetter = statementLetters.readValue();
    assertEquals(Topics.PROBLEM_STATEMENTS.name(), statementLetter.getSourceTopic());
    assertEquals(List.of(taskId("h8")), tasks.readKeyValuesToList().stream().map(kv -> kv.key).toList());
  }

  @Test
  void undecodableRecordsOfEitherTopicAreDeadLetteredAndAssemblyGoesOn() {
    // The test driver does not surface the dead letters a deserialization handler returns while a transaction is
    // open (EOS); TaskAssemblyTopologyIT reads them under exactly_once_v2 on a real broker.
    driver.close();
    start(StreamsConfig.AT_LEAST_ONCE);
    final byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    rawValidations.pipeInput("k-garbage", garbage);
    rawStatements.pipeInput("k-unknown", new byte[] {0, 0, 0, 0x7f, 0x7f, 1});
    validations.pipeInput(taskId("i9"), better("i9"));
    statements.pipeInput(taskId("i9"), statement("i9", "s"));

    final DeadLetter v = validationLetters.readValue();
    assertEquals("org.apache.kafka.common.errors.SerializationException", v.getErrorClass());
    assertArrayEquals(garbage, bytes(v.getValue()));
    assertEquals(TaskAssemblyTopology.STAGE, v.getStage());
    final DeadLetter s = statementLetters.readValue();
    assertEquals(Topics.PROBLEM_STATEMENTS.name(), s.getSourceTopic());
    assertTrue(s.getErrorMessage().contains("schema id"), s.getErrorMessage());
    assertEquals(taskId("i9"), tasks.readKeyValue().key);
  }

  private static byte[] bytes(final ByteBuffer buffer) {
    final ByteBuffer b = buffer.duplicate();
    final byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
