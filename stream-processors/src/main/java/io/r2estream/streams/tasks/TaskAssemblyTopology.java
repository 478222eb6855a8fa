package io.r2estream.streams.tasks;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.TaskInstance;
import io.r2estream.streams.StreamsDefaults;
import io.r2estream.streams.errors.DefectDeadLetterer;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Task assembly: the latest {@code r2e.env.validations} record of each task that is NEW_COMMIT_BETTER with a
 * resolving gold patch, joined (KTable-KTable, by task id; both topics are compacted and co-partitioned) with its
 * {@code r2e.problem.statements} record, becomes a {@link TaskInstance} on the compacted {@code r2e.tasks}.
 *
 * <p>Either side may arrive first; a newer record of either side re-emits the task. A re-validation that no longer
 * qualifies (or a tombstone of either side) deletes the task with a tombstone. The filter's parent table is
 * materialized, so Kafka Streams forwards a delete from the filter only when the previous value passed it: a task
 * id that never qualified never appears on {@code r2e.tasks}, not even as a tombstone (the tests pin this). Records that cannot be read go to the input topic's DLQ through the streams config's
 * {@code DeadLetterDeserializationHandler}; records that can be read but not assembled (key is not the task id, a
 * qualifying validation without candidate or environment) go there through this topology, with their bytes.
 * The processing guarantee and the rest of the Kafka Streams settings are the caller's.
 */
public final class TaskAssemblyTopology {

  /** Value of {@code DeadLetter.stage} for this topology's failures. */
  public static final String STAGE = "task-assembly";
  /** Latest validation per task id (all statuses; the join filters). */
  public static final String VALIDATIONS_STORE = "r2e-tasks-validations";
  /** Latest problem statement per task id. */
  public static final String STATEMENTS_STORE = "r2e-tasks-statements";

  private TaskAssemblyTopology() {
  }

  /**
   * Builds the topology; no I/O happens until Kafka Streams runs it.
   *
   * @param validations serde of {@code r2e.env.validations} (also re-encodes defective records for their dead letter)
   * @param statements  serde of {@code r2e.problem.statements}
   * @param tasks       serde of {@code r2e.tasks}
   * @param deadLetters serde of the dead letters
   */
  public static Topology build(final Serde<EnvValidation> validations, final Serde<ProblemStatement> statements,
      final Serde<TaskInstance> tasks, final Serde<DeadLetter> deadLetters) {
    final StreamsBuilder builder = new StreamsBuilder();
    final KTable<String, EnvValidation> validationTable = table(builder, Topics.ENV_VALIDATIONS, validations,
        VALIDATIONS_STORE, TaskInstances::defect, deadLetters);
    final KTable<String, ProblemStatement> statementTable = table(builder, Topics.PROBLEM_STATEMENTS, statements,
        STATEMENTS_STORE, TaskInstances::defect, deadLetters);
    validationTable
        .filter((id, v) -> TaskInstances.qualifies(v), Named.as("qualifying-validations"))
        .join(statementTable, TaskInstances::from, Named.as("assemble-task"))
        .toStream(Named.as("task-changes"))
        .to(Topics.TASKS.name(), Produced.with(Serdes.String(), tasks).withName("tasks-sink"));
    return builder.build();
  }

  /**
   * The platform's Kafka Streams settings ({@link StreamsDefaults}: exactly_once_v2, DLQ handler) with this
   * topology's stage name; the runner may override any of them.
   */
  public static Properties streamsConfig(final String bootstrap, final String applicationId,
      final String registryUrl, final Path stateDir) {
    return StreamsDefaults.properties(bootstrap, applicationId, registryUrl, stateDir, STAGE);
  }

  /**
   * A compacted input topic as a table, its defective records (per {@code defect}) sent to the topic's DLQ first.
   * A stream turned into a table keeps tombstones as deletes.
   */
  private static <V extends SpecificRecord> KTable<String, V> table(
      final StreamsBuilder builder, final TopicSpec<V> topic, final Serde<V> serde, final String store,
      final BiFunction<String, V, Optional<String>> defect, final Serde<DeadLetter> deadLetters) {
    final String name = topic.name().replace('.', '-');
    final KStream<String, V> records = builder.stream(topic.name(), Consumed.with(Serdes.String(), serde)
        .withName(name + "-source"));
    final var branches = records.split(Named.as(name + "-"))
        .branch((k, v) -> defect.apply(k, v).isPresent(), Branched.as("defective"))
        .defaultBranch(Branched.as("sound"));
    final Serializer<V> reencode = serde.serializer();
    branches.get(name + "-defective")
        .processValues(() -> new DefectDeadLetterer<>(reencode, defect, STAGE), Named.as(name + "-dead-letterer"))
        .to(Topics.dlqOf(topic).name(), Produced.with(Serdes.String(), deadLetters).withName(name + "-dlq-sink"));
    return branches.get(name + "-sound").toTable(Named.as(name + "-table"),
        Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(Serdes.String()).withValueSerde(serde)
            // With caching, both sides of the join flush at the commit and each sees the other's cached update,
            // so a task whose validation and statement change within one commit would be emitted twice.
            .withCachingDisabled());
  }
}
