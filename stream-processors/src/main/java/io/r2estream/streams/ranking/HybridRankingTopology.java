package io.r2estream.streams.ranking;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.streams.StreamsDefaults;
import io.r2estream.streams.errors.DefectDeadLetterer;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The hybrid ranking (reference 5.3): candidate patches, execution-based test scores and execution-free judge
 * scores, all keyed by task id, become one {@link HybridRanking} per task on the compacted {@code r2e.rankings}.
 *
 * <p>Each input is re-keyed by candidate id into a table (latest record per candidate: a duplicate or a late
 * re-score replaces the earlier one; only the fields the ranking needs cross the repartition topics). The score
 * tables are left-joined onto the candidate table, so a candidate not yet scored is ranked with missing scores
 * (lowest), and a score whose candidate has not arrived waits in its table until it does. The joined table is
 * regrouped by task id and aggregated into the task's candidate set with an adder and a subtractor: an update of a
 * candidate replaces it (Kafka Streams calls the subtractor with the old value and the adder with the new one), so
 * no candidate is ever counted twice. Every change of the set is ranked by {@link SelectionRules} in the configured
 * mode ({@link Rankings}); a ranking equal to the task's current one (a duplicate input) is not emitted again. The
 * current rankings stay queryable in {@link #RANKINGS_STORE}.
 *
 * <p>Records that cannot be read go to their topic's DLQ through {@code DeadLetterDeserializationHandler}; records
 * that can be read but not ranked (no value, key not the task id, no candidate id, a score out of range) go there
 * through this topology with the reason. A test score with INFRA_ERROR and a judge score without P(YES) say nothing
 * about the candidate: they do not replace an earlier verdict ({@link RankingInputs}). The processing guarantee is
 * the caller's ({@link #streamsConfig}: exactly_once_v2).
 */
public final class HybridRankingTopology {

  /** Value of {@code DeadLetter.stage} for this topology's failures. */
  public static final String STAGE = "hybrid-ranking";
  /** Latest candidate per candidate id. */
  public static final String CANDIDATES_STORE = "r2e-ranking-candidates";
  /** Latest test verdict per candidate id. */
  public static final String TEST_SCORES_STORE = "r2e-ranking-test-scores";
  /** Latest judge verdict per candidate id. */
  public static final String JUDGE_SCORES_STORE = "r2e-ranking-judge-scores";
  /** Each task's candidate set. */
  public static final String TASK_CANDIDATES_STORE = "r2e-ranking-task-candidates";
  /** Each task's current ranking (interactive queries): key task id, value {@link HybridRanking}. */
  public static final String RANKINGS_STORE = "r2e-rankings";

  private HybridRankingTopology() {
  }

  /**
   * Builds the topology; no I/O happens until Kafka Streams runs it.
   *
   * @param config      the ranking's mode and weights
   * @param candidates  serde of {@code r2e.candidates}
   * @param testScores  serde of {@code r2e.scores.test}
   * @param judgeScores serde of {@code r2e.scores.judge}
   * @param rankings    serde of {@code r2e.rankings} (also of {@link #RANKINGS_STORE})
   * @param deadLetters serde of the dead letters
   */
  public static Topology build(final RankingConfig config, final Serde<CandidatePatch> candidates,
      final Serde<TestScore> testScores, final Serde<JudgeScore> judgeScores, final Serde<HybridRanking> rankings,
      final Serde<DeadLetter> deadLetters) {
    final StreamsBuilder builder = new StreamsBuilder();
    final KTable<String, RankingState.Candidate> candidateTable = byCandidate(builder, Topics.CANDIDATES, candidates,
        RankingInputs::candidateDefect, v -> true, CandidatePatch::getCandidateId, RankingInputs::candidate,
        RankingState.Candidate.class, CANDIDATES_STORE, deadLetters);
    final KTable<String, RankingState.TestVerdict> testTable = byCandidate(builder, Topics.SCORES_TEST, testScores,
        RankingInputs::testDefect, RankingInputs::isVerdict, TestScore::getCandidateId, RankingInputs::test,
        RankingState.TestVerdict.class, TEST_SCORES_STORE, deadLetters);
    final KTable<String, RankingState.JudgeVerdict> judgeTable = byCandidate(builder, Topics.SCORES_JUDGE,
        judgeScores, RankingInputs::judgeDefect, RankingInputs::isVerdict, JudgeScore::getCandidateId,
        RankingInputs::judge, RankingState.JudgeVerdict.class, JUDGE_SCORES_STORE, deadLetters);

    final Serde<RankingState.Scored> scoredSerde = JsonSerde.of(RankingState.Scored.class);
    final Serde<RankingState.TaskCandidates> setSerde = JsonSerde.of(RankingState.TaskCandidates.class);
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RANKINGS_STORE),
        Serdes.String(), rankings));
    candidateTable
        .leftJoin(testTable, RankingState.Scored::of, Named.as("ranking-join-test-scores"))
        .leftJoin(judgeTable, RankingState.Scored::withJudge, Named.as("ranking-join-judge-scores"))
        .groupBy((candidateId, s) -> KeyValue.pair(s.candidate().taskId(), s),
            Grouped.with("ranking-by-task", Serdes.String(), scoredSerde))
        .aggregate(RankingState.TaskCandidates::empty,
            (task, s, set) -> set.with(s),
            (task, s, set) -> set.without(s.candidate().candidateId()),
            Named.as("ranking-task-candidates"),
            Materialized.<String, RankingState.TaskCandidates, KeyValueStore<Bytes, byte[]>>as(TASK_CANDIDATES_STORE)
                .withKeySerde(Serdes.String()).withValueSerde(setSerde))
        .toStream(Named.as("ranking-task-candidate-changes"))
        .processValues(() -> new Ranker(config), Named.as("ranking-ranker"), RANKINGS_STORE)
        .to(Topics.RANKINGS.name(), Produced.with(Serdes.String(), rankings).withName("rankings-sink"));
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
   * An input topic as a table by candidate id: defective records to the topic's DLQ, records that are no verdict
   * skipped, the rest reduced to what the ranking needs and repartitioned by candidate id.
   */
  private static <V extends SpecificRecord, T> KTable<String, T> byCandidate(final StreamsBuilder builder,
      final TopicSpec<V> topic, final Serde<V> serde, final BiFunction<String, V, Optional<String>> defect,
      final Predicate<V> verdict, final Function<V, String> candidateId, final Function<V, T> extract,
      final Class<T> type, final String store, final Serde<DeadLetter> deadLetters) {
    final String name = "ranking-" + topic.name().replace('.', '-');
    final KStream<String, V> records = builder.stream(topic.name(), Consumed.with(Serdes.String(), serde)
        .withName(name + "-source"));
    final var branches = records.split(Named.as(name + "-"))
        .branch((k, v) -> defect.apply(k, v).isPresent(), Branched.as("defective"))
        .defaultBranch(Branched.as("sound"));
    branches.get(name + "-defective")
        .processValues(() -> new DefectDeadLetterer<>(serde.serializer(), defect, STAGE),
            Named.as(name + "-dead-letterer"))
        .to(Topics.dlqOf(topic).name(), Produced.with(Serdes.String(), deadLetters).withName(name + "-dlq-sink"));
    final Serde<T> valueSerde = JsonSerde.of(type);
    return branches.get(name + "-sound")
        .filter((k, v) -> verdict.test(v), Named.as(name + "-verdicts"))
        .map((k, v) -> KeyValue.pair(candidateId.apply(v), extract.apply(v)), Named.as(name + "-by-candidate"))
        .repartition(Repartitioned.<String, T>as(name + "-by-candidate").withKeySerde(Serdes.String())
            .withValueSerde(valueSerde))
        .toTable(Named.as(name + "-table"), Materialized.<String, T, KeyValueStore<Bytes, byte[]>>as(store)
            .withKeySerde(Serdes.String()).withValueSerde(valueSerde));
  }

  /**
   * Ranks a task's changed candidate set, keeps the ranking in {@link #RANKINGS_STORE} and forwards it unless it
   * equals the current one; an empty set deletes the ranking (tombstone).
   */
  private static final class Ranker implements FixedKeyProcessor<String, RankingState.TaskCandidates,
      HybridRanking> {

    private final RankingConfig config;
    private FixedKeyProcessorContext<String, HybridRanking> context;
    private KeyValueStore<String, HybridRanking> store;

    Ranker(final RankingConfig config) {
      this.config = config;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, HybridRanking> context) {
      this.context = context;
      this.store = context.getStateStore(RANKINGS_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, RankingState.TaskCandidates> record) {
      final HybridRanking current = store.get(record.key());
      if (record.value() == null || record.value().byId().isEmpty()) {
        if (current != null) {
          store.delete(record.key());
          context.forward(record.withValue(null));
        }
        return;
      }
      final HybridRanking next = Rankings.of(record.key(), record.value(), config.mode(), config.weights());
      if (!next.equals(current)) {
        store.put(record.key(), next);
        context.forward(record.withValue(next));
      }
    }
  }
}
