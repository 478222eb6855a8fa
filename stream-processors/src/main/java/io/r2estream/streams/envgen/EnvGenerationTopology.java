package io.r2estream.streams.envgen;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.streams.StreamsDefaults;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * SWE-GEN environment generation: {@code r2e.commits} → {@link CommitSelector} → {@code r2e.env.candidates} or
 * {@code r2e.commits.rejected} (with the first failing rule), and {@code r2e.commits.dlq} for records that cannot
 * be read or decided. A persistent store of decided task ids makes re-ingesting a history a no-op.
 */
public final class EnvGenerationTopology {

  /** Value of {@code DeadLetter.stage} for this topology's failures. */
  public static final String STAGE = "env-generation";
  /** State store: task id → selector_version that decided it. */
  public static final String DECIDED_STORE = "r2e-envgen-decided";

  private static final String SOURCE = "commits-source";
  private static final String PROCESSOR = "swegen-selector";
  private static final String CANDIDATES_SINK = "candidates-sink";
  private static final String REJECTIONS_SINK = "rejections-sink";
  private static final String DEAD_LETTERS_SINK = "dead-letters-sink";

  /** Node and store names the processor forwards to. */
  record Names(String sourceTopic, String store, String candidatesSink, String rejectionsSink,
      String deadLettersSink, String stage) {
  }

  private EnvGenerationTopology() {
  }

  /**
   * Builds the topology; no I/O happens until Kafka Streams runs it.
   *
   * @param config      SWE-GEN thresholds; its fingerprint is the selector_version
   * @param commits     serde of the input commits (also re-encodes failed commits for their dead letter)
   * @param candidates  serde of the selected commits
   * @param rejections  serde of the rejected commits
   * @param deadLetters serde of the dead letters
   */
  public static Topology build(final SweGenConfig config, final Serde<CommitEvent> commits,
      final Serde<EnvCandidate> candidates, final Serde<CommitRejection> rejections,
      final Serde<DeadLetter> deadLetters) {
    final CommitSelector selector = new CommitSelector(config);
    final Names names = new Names(Topics.COMMITS.name(), DECIDED_STORE, CANDIDATES_SINK, REJECTIONS_SINK,
        DEAD_LETTERS_SINK, STAGE);
    final Serializer<CommitEvent> commitSerializer = commits.serializer();
    final Serializer<String> keys = Serdes.String().serializer();
    final Topology topology = new Topology();
    topology.addSource(SOURCE, Serdes.String().deserializer(), commits.deserializer(), Topics.COMMITS.name());
    topology.addProcessor(PROCESSOR, () -> new EnvGenerationProcessor(selector, commitSerializer, names), SOURCE);
    topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECIDED_STORE),
        Serdes.String(), Serdes.String()), PROCESSOR);
    topology.addSink(CANDIDATES_SINK, Topics.ENV_CANDIDATES.name(), keys, candidates.serializer(), PROCESSOR);
    topology.addSink(REJECTIONS_SINK, Topics.COMMITS_REJECTED.name(), keys, rejections.serializer(), PROCESSOR);
    topology.addSink(DEAD_LETTERS_SINK, Topics.dlqOf(Topics.COMMITS).name(), keys, deadLetters.serializer(),
        PROCESSOR);
    return topology;
  }

  /**
   * Kafka Streams settings: exactly-once, String keys, no default value serde (every boundary names its serde),
   * undecodable records dead-lettered (see {@link StreamsDefaults}), and room for the largest dead letter.
   *
   * @param registryUrl schema registry for the dead-letter handler ({@code mock://scope} in tests)
   * @param stateDir    where the decided-commits store keeps its RocksDB files
   */
  public static Properties streamsConfig(final String bootstrap, final String applicationId,
      final String registryUrl, final Path stateDir) {
    return StreamsDefaults.properties(bootstrap, applicationId, registryUrl, stateDir, STAGE);
  }
}
