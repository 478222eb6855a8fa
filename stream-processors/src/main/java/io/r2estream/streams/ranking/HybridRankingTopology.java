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
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The hybrid ranking (reference 5.3): candidate patches, execution-based test scores and execution-free judge
 * scores become one {@link HybridRanking} per task on the compacted {@code r2e.rankings}.
 *
 * <p>All three inputs are keyed by task id on topics with the same partition count (co-partitioned), so one
 * processor sees every record of a task and no repartition topic is needed: each input is reduced to the fields the
 * ranking needs and merged into one stream; the processor keeps, per task, the latest record of each input per
 * candidate ({@link #TASK_INPUTS_STORE}: a duplicate or a late re-score replaces the earlier one, a verdict whose
 * candidate has not arrived waits there until it does), ranks the task's candidate set by {@link SelectionRules} in
 * the configured mode ({@link Rankings}) and forwards the ranking unless it equals the task's current one (a
 * duplicate input). The current rankings stay queryable in {@link #RANKINGS_STORE}. (The first version re-keyed every
 * input by candidate id into tables, joined them and regrouped them by task: three repartition hops, each a
 * transaction under exactly-once, which held it near 4,000 events/s.)
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
  /** Everything heard about each task: key task id, value {@link RankingState.TaskInputs} (JSON). */
  public static final String TASK_INPUTS_STORE = "r2e-ranking-task-inputs";
  /** Each task's current ranking (interactive queries): key task id, value {@link HybridRanking}. */
  public static final String RANKINGS_STORE = "r2e-rankings";

  private HybridRankingTopology() {
  }

  /** One input record as the ranking keeps it: a candidate, or a verdict on a candidate. */
  private record Update(String candidateId, RankingState.Candidate candidate, RankingState.TestVerdict test,
      RankingState.JudgeVerdict judge) {

    RankingState.TaskInputs applyTo(final RankingState.TaskInputs inputs) {
      if (candidate != null) {
        return inputs.with(candidate);
      }
      return test != null ? inputs.withTest(candidateId, test) : inputs.withJudge(candidateId, judge);
    }
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
    final KStream<String, Update> candidateUpdates = sound(builder, Topics.CANDIDATES, candidates,
        RankingInputs::candidateDefect, v -> true, v -> new Update(v.getCandidateId(), RankingInputs.candidate(v),
            null, null), deadLetters);
    final KStream<String, Update> testUpdates = sound(builder, Topics.SCORES_TEST, testScores,
        RankingInputs::testDefect, RankingInputs::isVerdict, v -> new Update(v.getCandidateId(), null,
            RankingInputs.test(v), null), deadLetters);
    final KStream<String, Update> judgeUpdates = sound(builder, Topics.SCORES_JUDGE, judgeScores,
        RankingInputs::judgeDefect, RankingInputs::isVerdict, v -> new Update(v.getCandidateId(), null, null,
            RankingInputs.judge(v)), deadLetters);

    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TASK_INPUTS_STORE),
        Serdes.String(), JsonSerde.of(RankingState.TaskInputs.class)).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RANKINGS_STORE),
        Serdes.String(), rankings).withCachingEnabled());
    candidateUpdates.merge(testUpdates, Named.as("ranking-merge-test-scores"))
        .merge(judgeUpdates, Named.as("ranking-merge-judge-scores"))
        .processValues(() -> new Ranker(config), Named.as("ranking-ranker"), TASK_INPUTS_STORE, RANKINGS_STORE)
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
   * An input topic's records as updates, still keyed by task id: defective records to the topic's DLQ, records
   * that are no verdict skipped, the rest reduced to what the ranking needs.
   */
  private static <V extends SpecificRecord> KStream<String, Update> sound(final StreamsBuilder builder,
      final TopicSpec<V> topic, final Serde<V> serde, final BiFunction<String, V, Optional<String>> defect,
      final Predicate<V> verdict, final Function<V, Update> extract, final Serde<DeadLetter> deadLetters) {
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
    return branches.get(name + "-sound")
        .filter((k, v) -> verdict.test(v), Named.as(name + "-verdicts"))
        .mapValues(extract::apply, Named.as(name + "-updates"));
  }

  /**
   * Applies an update to the task's inputs and, when they changed, ranks the task's candidates, keeps the ranking in
   * {@link #RANKINGS_STORE} and forwards it. Verdicts of candidates not yet seen are kept and rank nothing until
   * their candidate arrives.
   */
  private static final class Ranker implements FixedKeyProcessor<String, Update, HybridRanking> {

    private final RankingConfig config;
    private FixedKeyProcessorContext<String, HybridRanking> context;
    private KeyValueStore<String, RankingState.TaskInputs> inputs;
    private KeyValueStore<String, HybridRanking> rankings;

    Ranker(final RankingConfig config) {
      this.config = config;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, HybridRanking> context) {
      this.context = context;
      this.inputs = context.getStateStore(TASK_INPUTS_STORE);
      this.rankings = context.getStateStore(RANKINGS_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, Update> record) {
      final RankingState.TaskInputs before = inputs.get(record.key());
      final RankingState.TaskInputs after = record.value().applyTo(before == null ? RankingState.TaskInputs.empty()
          : before);
      if (after.equals(before)) {
        return;
      }
      inputs.put(record.key(), after);
      final RankingState.TaskCandidates set = after.candidateSet();
      if (set.byId().isEmpty()) {
        return;
      }
      // Changed inputs always change the record (scores or updated_at), so there is no need to read the current
      // ranking back to compare: a duplicate was already dropped above.
      final HybridRanking next = Rankings.of(record.key(), set, config.mode(), config.weights());
      rankings.put(record.key(), next);
      context.forward(record.withValue(next));
    }
  }
}
