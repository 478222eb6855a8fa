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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The hybrid ranking (reference 5.3): candidate patches, execution-based test scores and execution-free judge
 * scores become one {@link HybridRanking} per task on the compacted {@code r2e.rankings}.
 *
 * <p>All three inputs are keyed by task id on topics with the same partition count (co-partitioned), so one
 * processor sees every record of a task and no repartition topic is needed. Each input is reduced to the fields the
 * ranking needs and merged into one stream. The processor keeps the latest record of each input per candidate in
 * {@link #CANDIDATES_STORE}, one small entry per (task, candidate): a duplicate or a late re-score replaces the
 * earlier one, and a verdict whose candidate has not arrived waits there until it does. An input therefore costs
 * one small read and write however many candidates its task has. (A first version kept one value per task with all
 * its candidates and rewrote it on every input, which held it near 8,000 events/s with 8 candidates; the one before
 * re-keyed every input by candidate through three repartition hops, near 4,000.)
 *
 * <p>A task whose inputs changed is marked in {@link #DIRTY_STORE}; every {@link RankingConfig#emitIntervalMs()} of
 * wall-clock time the processor ranks each marked task once ({@link Rankings}, in the configured mode) and forwards
 * the ranking unless it equals the task's current one in {@link #RANKINGS_STORE} (also the interactive-query store).
 * So a burst of scores for one task yields one ranking, not one per score, the way Kafka Streams' own record caches
 * coalesce a table's updates. The marks are a changelogged store written in the same transaction as the inputs'
 * offsets, so a crash between an input and its ranking leaves the mark behind and the ranking is emitted after the
 * restart: nothing is lost. Under exactly-once a read_committed reader sees rankings only at commits anyway, so
 * with an interval equal to the commit interval (both 100 ms by default) the coalescing costs little latency. An
 * interval of 0 ranks and forwards on every changed input instead.
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
  /**
   * The latest input per candidate: key {@link #candidateKey task id, NUL, candidate id}, value
   * {@link RankingState.Scored} ({@link RankingEntrySerde}; its candidate is null while only verdicts have arrived).
   */
  public static final String CANDIDATES_STORE = "r2e-ranking-candidates";
  /** Tasks whose ranking is due: key task id, value the timestamp of the latest input record that changed it. */
  public static final String DIRTY_STORE = "r2e-ranking-due";
  /** Each task's current ranking (interactive queries): key task id, value {@link HybridRanking}. */
  public static final String RANKINGS_STORE = "r2e-rankings";
  /** Separates task id and candidate id in {@link #CANDIDATES_STORE} keys; task ids may not contain it. */
  static final char KEY_SEPARATOR = '\u0000';

  private HybridRankingTopology() {
  }

  /** One input record as the ranking keeps it: a candidate, or a verdict on a candidate. */
  private record Update(String candidateId, RankingState.Candidate candidate, RankingState.TestVerdict test,
      RankingState.JudgeVerdict judge) {

    RankingState.Scored applyTo(final RankingState.Scored entry) {
      final RankingState.Scored e = entry == null ? new RankingState.Scored(null, null, null) : entry;
      if (candidate != null) {
        return new RankingState.Scored(candidate, e.test(), e.judge());
      }
      return test != null ? new RankingState.Scored(e.candidate(), test, e.judge())
          : new RankingState.Scored(e.candidate(), e.test(), judge);
    }
  }

  /** The {@link #CANDIDATES_STORE} key of a task's candidate; the task's keys share the prefix {@code task + NUL}. */
  static String candidateKey(final String taskId, final String candidateId) {
    return taskId + KEY_SEPARATOR + candidateId;
  }

  /**
   * Builds the topology; no I/O happens until Kafka Streams runs it.
   *
   * @param config      the ranking's mode, weights and emit interval
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

    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CANDIDATES_STORE),
        Serdes.String(), RankingEntrySerde.serde()).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DIRTY_STORE),
        Serdes.String(), Serdes.Long()).withCachingEnabled());
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RANKINGS_STORE),
        Serdes.String(), rankings).withCachingEnabled());
    candidateUpdates.merge(testUpdates, Named.as("ranking-merge-test-scores"))
        .merge(judgeUpdates, Named.as("ranking-merge-judge-scores"))
        .process(() -> new Ranker(config), Named.as("ranking-ranker"), CANDIDATES_STORE, DIRTY_STORE,
            RANKINGS_STORE)
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
   * Keeps each candidate's latest inputs, marks the tasks they change, and ranks the marked tasks every emit
   * interval (or at once with an interval of 0), forwarding rankings that differ from the task's current one.
   */
  private static final class Ranker implements Processor<String, Update, String, HybridRanking> {

    private final RankingConfig config;
    private ProcessorContext<String, HybridRanking> context;
    private KeyValueStore<String, RankingState.Scored> entries;
    private KeyValueStore<String, Long> due;
    private KeyValueStore<String, HybridRanking> rankings;

    Ranker(final RankingConfig config) {
      this.config = config;
    }

    @Override
    public void init(final ProcessorContext<String, HybridRanking> context) {
      this.context = context;
      this.entries = context.getStateStore(CANDIDATES_STORE);
      this.due = context.getStateStore(DIRTY_STORE);
      this.rankings = context.getStateStore(RANKINGS_STORE);
      if (config.emitIntervalMs() > 0) {
        context.schedule(Duration.ofMillis(config.emitIntervalMs()), PunctuationType.WALL_CLOCK_TIME,
            now -> rankDueTasks());
      }
    }

    @Override
    public void process(final Record<String, Update> record) {
      final String key = candidateKey(record.key(), record.value().candidateId());
      final RankingState.Scored before = entries.get(key);
      final RankingState.Scored after = record.value().applyTo(before);
      if (after.equals(before)) {
        return;
      }
      entries.put(key, after);
      if (after.candidate() == null) {
        return;
      }
      if (config.emitIntervalMs() == 0) {
        rank(record.key(), record.timestamp());
      } else {
        due.put(record.key(), record.timestamp());
      }
    }

    private void rankDueTasks() {
      final List<KeyValue<String, Long>> tasks = new ArrayList<>();
      try (KeyValueIterator<String, Long> it = due.all()) {
        it.forEachRemaining(tasks::add);
      }
      for (final KeyValue<String, Long> task : tasks) {
        rank(task.key, task.value);
        due.delete(task.key);
      }
    }

    private void rank(final String taskId, final long timestamp) {
      final TreeMap<String, RankingState.Scored> set = new TreeMap<>();
      try (KeyValueIterator<String, RankingState.Scored> it = entries.prefixScan(taskId + KEY_SEPARATOR,
          new StringSerializer())) {
        it.forEachRemaining(kv -> {
          if (kv.value.candidate() != null) {
            set.put(kv.value.candidate().candidateId(), kv.value);
          }
        });
      }
      if (set.isEmpty()) {
        return;
      }
      final HybridRanking next = Rankings.of(taskId, new RankingState.TaskCandidates(set), config.mode(),
          config.weights());
      if (next.equals(rankings.get(taskId))) {
        return;
      }
      rankings.put(taskId, next);
      context.forward(new Record<>(taskId, next, timestamp));
    }
  }
}
