package io.r2estream.bench;

import io.r2estream.avro.CommitEvent;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.embedded.registry.EmbeddedSchemaRegistry;
import io.r2estream.producers.commits.CommitPublisher;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.streams.envgen.CommitSelector;
import io.r2estream.streams.envgen.EnvGenerationTopology;
import io.r2estream.streams.envgen.Selection;
import io.r2estream.streams.envgen.SweGenConfig;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SWE-GEN stages of the benchmark over the commit events of one scan: {@link CommitSelector} alone on the
 * events in memory (the pure decision cost), and the real {@link EnvGenerationTopology} under exactly_once_v2 on an
 * embedded broker with the embedded schema registry, timed from {@code KafkaStreams.start()} until every commit's
 * decision is readable by a read_committed consumer.
 *
 * <p>The topology gets a broker of its own holding exactly one copy of the events in {@code r2e.commits}: the
 * ingestion stages publish the history again every round, and duplicates would make each round's input differ.
 * Each topology round uses a fresh application id and state directory, so it re-decides every commit.
 */
final class EnvGenerationStages implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EnvGenerationStages.class);
  /** The acceptance target for the topology on 2 cores. */
  static final double TARGET_COMMITS_PER_SECOND = 5_000;
  /** A round that has not decided every commit by then has failed, not just been slow. */
  private static final Duration ROUND_DEADLINE = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final String APPLICATION_PREFIX = "r2e-bench-envgen-";

  // Throughput settings for the benchmark's Streams instance; none of them changes what the topology decides.
  /** One stream thread per core: the 6 input partitions give 6 tasks, 3 per thread. */
  static final int STREAM_THREADS = 2;
  /**
   * EOS commits a transaction per thread every interval; read_committed readers see decisions only then. 100 ms
   * (the EOS default, set explicitly) adds at most 0.1 s at the end of a run; the selector, not transaction
   * overhead, bounds throughput here (see README "Benchmarks"), so a longer interval would only add latency.
   */
  static final int COMMIT_INTERVAL_MS = 100;
  /** Fetch more of each input partition per request: events are ~5.6 kB, the 1 MiB default is ~180 of them. */
  static final int MAX_PARTITION_FETCH_BYTES = 8 * 1024 * 1024;
  /** Larger producer batches for the outputs and the changelog; the EOS commit flushes them anyway. */
  static final int PRODUCER_BATCH_BYTES = 256 * 1024;

  private final List<CommitEvent> events;
  private final Path dir;
  private final EmbeddedKafkaBroker broker;
  private final EmbeddedSchemaRegistry registry;
  private final AtomicInteger round = new AtomicInteger();
  private Decisions selectorDecisions;
  private Decisions referenceDecisions;
  private Decisions topologyDecisions;
  private long firstDecisionMillis = -1;
  private long firstDecisionNanos;
  /** Per topology round: from the first decision readable to the last, over the decisions in between. */
  private final List<IngestBenchmark.Sample> steadyState = new ArrayList<>();

  private EnvGenerationStages(final List<CommitEvent> events, final Path dir, final EmbeddedKafkaBroker broker,
      final EmbeddedSchemaRegistry registry) {
    this.events = events;
    this.dir = dir;
    this.broker = broker;
    this.registry = registry;
  }

  /** Starts a broker and registry in {@code dir} and publishes the events once to {@code r2e.commits}. */
  static EnvGenerationStages start(final List<CommitEvent> events, final Path dir) throws IOException {
    final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0).start();
    EmbeddedSchemaRegistry registry = null;
    try {
      try (Admin admin = admin(broker)) {
        TopicCreator.ensure(admin, Topics.all(), (short) 1);
      }
      registry = EmbeddedSchemaRegistry.start(broker.bootstrapServers(), 0);
      try (CommitPublisher publisher = new CommitPublisher(broker.bootstrapServers(), registry.url())) {
        final long acked = publisher.publishAll(events.iterator(), n -> { });
        if (acked != events.size()) {
          throw new IllegalStateException("published " + acked + " of " + events.size() + " commit events");
        }
      }
      return new EnvGenerationStages(events, dir, broker, registry);
    } catch (RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      broker.close();
      throw e;
    }
  }

  /** Untimed: lets the JIT compile both selectors before round 1. */
  void warmUp(final int commits) {
    for (final SweGenConfig.Parser parser : SweGenConfig.Parser.values()) {
      final CommitSelector selector = new CommitSelector(config(parser));
      for (final CommitEvent e : events.subList(0, Math.min(commits, events.size()))) {
        selector.select(e);
      }
    }
  }

  /** One thread deciding every event in memory with the default (tokens) parser: the selector's cost per core. */
  IngestBenchmark.Sample select() {
    return select(SweGenConfig.Parser.TOKENS);
  }

  /** The same with the tree-sitter parser, the reference: its decisions must equal the default's, commit by commit. */
  IngestBenchmark.Sample selectWithTreeSitter() {
    return select(SweGenConfig.Parser.TREE_SITTER);
  }

  private IngestBenchmark.Sample select(final SweGenConfig.Parser parser) {
    final CommitSelector selector = new CommitSelector(config(parser));
    final Decisions d = new Decisions();
    final long start = System.nanoTime();
    for (final CommitEvent e : events) {
      final Selection s = selector.select(e);
      if (s instanceof Selection.Selected c) {
        d.selected++;
        d.bySha.put(e.getSha(), "selected " + c.candidate().getStats());
      } else if (s instanceof Selection.Rejected r) {
        d.rejected++;
        d.rules.merge(r.rejection().getRule(), 1, Integer::sum);
        d.bySha.put(e.getSha(), r.rejection().getRule() + " " + r.rejection().getStats());
      }
    }
    final long nanos = System.nanoTime() - start;
    if (parser == SweGenConfig.Parser.TOKENS) {
      selectorDecisions = d;
    } else {
      referenceDecisions = d;
    }
    return new IngestBenchmark.Sample(nanos, events.size(), -1);
  }

  private static SweGenConfig config(final SweGenConfig.Parser parser) {
    return SweGenConfig.fromProperties(Map.of(SweGenConfig.PYTHON_PARSER_CONFIG, parser.id()));
  }

  /**
   * Runs the topology under a fresh application id until all events are decided; the time runs from
   * {@code KafkaStreams.start()} (group join, task and store initialisation included) to the moment the last
   * decision is committed and read.
   */
  IngestBenchmark.Sample topology() throws IOException {
    final String applicationId = APPLICATION_PREFIX + round.incrementAndGet() + "-" + System.currentTimeMillis();
    final Path stateDir = Files.createTempDirectory(dir, "streams-");
    final String url = registry.url();
    try (KafkaConsumer<String, byte[]> reader = decisionReader()) {
      final long start = System.nanoTime();
      final KafkaStreams streams = new KafkaStreams(EnvGenerationTopology.build(SweGenConfig.defaults(),
          R2eSerdes.valueSerde(Topics.COMMITS, url), R2eSerdes.valueSerde(Topics.ENV_CANDIDATES, url),
          R2eSerdes.valueSerde(Topics.COMMITS_REJECTED, url), R2eSerdes.valueSerde(Topics.dlqOf(Topics.COMMITS), url)),
          streamsConfig(applicationId, stateDir));
      try {
        streams.start();
        final Decisions d = awaitDecisions(reader, streams, start);
        final long end = System.nanoTime();
        final long nanos = end - start;
        steadyState.add(new IngestBenchmark.Sample(end - firstDecisionNanos, d.total() - 1L, -1));
        topologyDecisions = d;
        return new IngestBenchmark.Sample(nanos, d.total(), -1);
      } finally {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        streams.cleanUp();
        deleteInternalTopics(applicationId);
        IngestBenchmark.deleteRecursively(stateDir);
      }
    }
  }

  /** The topology's own Streams settings plus the throughput settings documented on the constants above. */
  Properties streamsConfig(final String applicationId, final Path stateDir) {
    final Properties p = EnvGenerationTopology.streamsConfig(broker.bootstrapServers(), applicationId,
        registry.url(), stateDir);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, STREAM_THREADS);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), MAX_PARTITION_FETCH_BYTES);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
    return p;
  }

  /**
   * A read_committed reader positioned at the current end of the three decision topics, so that it sees only
   * this round's decisions. Values are not decoded: counting distinct keys is all it does, and on 2 cores its
   * CPU is taken from the topology under measurement.
   */
  private KafkaConsumer<String, byte[]> decisionReader() {
    final Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        new ByteArrayDeserializer());
    final List<TopicPartition> partitions = new ArrayList<>();
    for (final String topic : decisionTopics()) {
      consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }

  private Decisions awaitDecisions(final KafkaConsumer<String, byte[]> reader, final KafkaStreams streams,
      final long start) {
    final Set<String> keys = new HashSet<>(events.size() * 2);
    final Decisions d = new Decisions();
    final long deadline = System.nanoTime() + ROUND_DEADLINE.toNanos();
    while (keys.size() < events.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the topology decided " + keys.size() + " of " + events.size()
            + " commits within " + ROUND_DEADLINE + " (streams state " + streams.state() + ")");
      }
      if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
        throw new IllegalStateException("Kafka Streams stopped in state " + streams.state() + " after "
            + keys.size() + " decisions");
      }
      for (final ConsumerRecord<String, byte[]> r : reader.poll(POLL)) {
        if (keys.add(r.key())) {
          if (keys.size() == 1) {
            firstDecisionNanos = System.nanoTime();
            firstDecisionMillis = (firstDecisionNanos - start) / 1_000_000;
          }
          d.count(r.topic());
        }
      }
    }
    return d;
  }

  private static List<String> decisionTopics() {
    return List.of(Topics.ENV_CANDIDATES.name(), Topics.COMMITS_REJECTED.name(),
        Topics.dlqOf(Topics.COMMITS).name());
  }

  /**
   * The topology rounds timed from the first decision to the last: throughput once running, without the start-up
   * (group join, transactional producers, changelog topic and store creation) that a deployment pays once.
   */
  /** Drops what the rounds so far measured (after an untimed warm-up round). */
  void forgetRounds() {
    steadyState.clear();
  }

  List<IngestBenchmark.Sample> steadyState() {
    return List.copyOf(steadyState);
  }

  /** A finished round's changelog topic is dead weight on the broker for the next rounds. */
  private void deleteInternalTopics(final String applicationId) {
    try (Admin admin = admin(broker)) {
      final List<String> internal = admin.listTopics().names().get().stream()
          .filter(t -> t.startsWith(applicationId + "-")).toList();
      admin.deleteTopics(internal).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting the internal topics of " + applicationId, e);
    } catch (java.util.concurrent.ExecutionException e) {
      LOG.warn("Cannot delete the internal topics of {}: {}", applicationId, e.getCause().toString());
    }
  }

  private static Admin admin(final EmbeddedKafkaBroker broker) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  /**
   * The last selector round's outcome next to the last topology round's, as report lines; throws when they differ,
   * because the topology must decide exactly what the selector decides.
   */
  String summary() {
    if (selectorDecisions == null || referenceDecisions == null || topologyDecisions == null) {
      throw new IllegalStateException("summary() needs a round of each selector and of the topology");
    }
    if (!selectorDecisions.bySha.equals(referenceDecisions.bySha)) {
      throw new IllegalStateException("the tokens parser and tree-sitter decide differently: "
          + firstDifferences(selectorDecisions.bySha, referenceDecisions.bySha));
    }
    if (selectorDecisions.selected != topologyDecisions.selected
        || selectorDecisions.rejected != topologyDecisions.rejected || topologyDecisions.deadLettered != 0) {
      throw new IllegalStateException("the topology's decisions " + topologyDecisions
          + " differ from the selector's " + selectorDecisions);
    }
    return "Decisions (selector with tokens = selector with tree-sitter, commit by commit, = topology): " + selectorDecisions.selected + " selected, "
        + selectorDecisions.rejected + " rejected, 0 dead-lettered; rejections by rule: " + selectorDecisions.rules
        + ".\nTopology settings: exactly_once_v2, " + STREAM_THREADS + " stream threads, commit.interval.ms "
        + COMMIT_INTERVAL_MS + ", consumer max.partition.fetch.bytes " + MAX_PARTITION_FETCH_BYTES
        + ", producer batch.size " + PRODUCER_BATCH_BYTES + ", embedded schema registry over HTTP; time runs from "
        + "KafkaStreams.start() (first decision readable after " + firstDecisionMillis + " ms in the last round) "
        + "until all " + events.size() + " decisions are readable with read_committed.\n";
  }

  private static String firstDifferences(final Map<String, String> tokens, final Map<String, String> treeSitter) {
    final List<String> out = new ArrayList<>();
    for (final Map.Entry<String, String> e : tokens.entrySet()) {
      final String reference = treeSitter.get(e.getKey());
      if (!e.getValue().equals(reference) && out.size() < 5) {
        out.add(e.getKey() + ": tokens '" + e.getValue() + "', tree-sitter '" + reference + "'");
      }
    }
    return String.join("; ", out);
  }

  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      broker.close();
    }
  }

  /** Outcome counts of one round. */
  private static final class Decisions {
    int selected;
    int rejected;
    int deadLettered;
    final Map<String, Integer> rules = new TreeMap<>();
    /** The decision and edit statistics of each commit (selector rounds only). */
    final Map<String, String> bySha = new HashMap<>();

    void count(final String topic) {
      if (topic.equals(Topics.ENV_CANDIDATES.name())) {
        selected++;
      } else if (topic.equals(Topics.COMMITS_REJECTED.name())) {
        rejected++;
      } else {
        deadLettered++;
      }
    }

    int total() {
      return selected + rejected + deadLettered;
    }

    @Override
    public String toString() {
      return selected + " selected, " + rejected + " rejected, " + deadLettered + " dead-lettered";
    }
  }
}
