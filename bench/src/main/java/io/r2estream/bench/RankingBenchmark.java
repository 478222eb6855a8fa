package io.r2estream.bench;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.streams.ranking.HybridRankingTopology;
import io.r2estream.streams.ranking.RankingConfig;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the real {@link HybridRankingTopology} under exactly_once_v2 on an embedded broker (2 stream threads):
 * <ul>
 *   <li>throughput: {@code --tasks} x {@code --k} candidates, each with a test score and a judge score, are in the
 *       input topics before the application starts (fresh application id per round); timed until every task's
 *       fully scored ranking is readable by a read_committed consumer, as input events (candidates + scores) per
 *       second, from {@code KafkaStreams.start()} and from the first ranking to the last;</li>
 *   <li>latency: on the running, caught-up application, one task at a time gets all its records but the last judge
 *       score, then that score is sent: the time until its fully scored ranking is readable (p50, p99).</li>
 * </ul>
 * Medians over the rounds are reported. The registry is the in-process one (mock://), the same code path as a
 * remote registry once schema ids are cached.
 */
public final class RankingBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(RankingBenchmark.class);
  /** The acceptance target on 2 cores. */
  static final double TARGET_EVENTS_PER_SECOND = 20_000;
  private static final String REGISTRY = "mock://ranking-benchmark";
  private static final Duration ROUND_DEADLINE = Duration.ofMinutes(5);
  private static final int STREAM_THREADS = 2;

  private final int tasks;
  private final int k;
  private final int rounds;
  private final int latencySamples;
  private final Path dir;

  private RankingBenchmark(final int tasks, final int k, final int rounds, final int latencySamples,
      final Path dir) {
    this.tasks = tasks;
    this.k = k;
    this.rounds = rounds;
    this.latencySamples = latencySamples;
    this.dir = dir;
  }

  public static void main(final String[] args) throws Exception {
    int tasks = 4_000;
    int k = 8;
    int rounds = 5;
    int latency = 100;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--k" -> k = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--latency-samples" -> latency = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: [--tasks N] [--k K] [--rounds R] [--latency-samples N]");
      }
    }
    final Path dir = Files.createTempDirectory("r2e-ranking-bench-");
    try {
      new RankingBenchmark(tasks, k, rounds, latency, dir).run();
    } finally {
      IngestBenchmark.deleteRecursively(dir);
      InMemorySchemaRegistryClient.dropScope("ranking-benchmark");
    }
  }

  private void run() throws Exception {
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), 0).start()) {
      final String bootstrap = broker.bootstrapServers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        TopicCreator.ensure(admin, Topics.all(), (short) 1);
      }
      final String loadBefore = loadAverage();
      try (KafkaProducer<String, SpecificRecord> producer = producer(bootstrap)) {
        final long events = publishTasks(producer, "bench", tasks, k, true);
        LOG.info("{} input events published", events);
        final List<long[]> samples = new ArrayList<>();
        final List<KafkaStreams> running = new ArrayList<>();
        try {
          for (int round = 1; round <= rounds; round++) {
            running.forEach(RankingBenchmark::close);
            running.clear();
            final long[] s = new long[2];
            throughputRound(bootstrap, round, s, running);
            samples.add(s);
            LOG.info("round {}: {} ms from start, {} ms first to last ranking", round, s[0] / 1_000_000,
                s[1] / 1_000_000);
          }
          final List<Long> latencies = latency(bootstrap, producer);
          System.out.println(report(events, samples, latencies, loadBefore));
        } finally {
          // also on failure: the stream threads are not daemons and would keep the JVM alive
          running.forEach(RankingBenchmark::close);
        }
      }
    }
  }

  /** Runs a fresh application over the pre-published inputs; fills {from start, first to last} nanoseconds. */
  private void throughputRound(final String bootstrap, final int round, final long[] out,
      final List<KafkaStreams> running) {
    try (KafkaConsumer<String, HybridRanking> reader = readerAtEnd(bootstrap)) {
      final Set<String> done = new HashSet<>();
      final long start = System.nanoTime();
      running.add(start(bootstrap, "r2e-bench-ranking-" + round + "-" + System.nanoTime()));
      long first = -1;
      final long deadline = start + ROUND_DEADLINE.toNanos();
      while (done.size() < tasks) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("round " + round + ": only " + done.size() + " of " + tasks
              + " tasks fully ranked within " + ROUND_DEADLINE);
        }
        for (final ConsumerRecord<String, HybridRanking> r : reader.poll(Duration.ofMillis(20))) {
          if (first < 0) {
            first = System.nanoTime();
          }
          if (r.value() != null && r.value().getScoredCandidates() == k && r.value().getK() == k) {
            done.add(r.key());
          }
        }
      }
      final long end = System.nanoTime();
      out[0] = end - start;
      out[1] = end - first;
    }
  }

  /** Latency of the last score of a task to its fully scored ranking, on the running application. */
  private List<Long> latency(final String bootstrap, final KafkaProducer<String, SpecificRecord> producer)
      throws Exception {
    final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    final AtomicBoolean stop = new AtomicBoolean();
    final Thread poller;
    final List<Long> out = new ArrayList<>();
    try (KafkaConsumer<String, HybridRanking> reader = readerAtEnd(bootstrap)) {
      poller = new Thread(() -> {
        while (!stop.get()) {
          for (final ConsumerRecord<String, HybridRanking> r : reader.poll(Duration.ofMillis(5))) {
            if (r.value() != null) {
              final long now = System.nanoTime();
              arrivals.put(r.key() + "#" + r.value().getScoredCandidates(), now);
            }
          }
        }
      }, "latency-reader");
      poller.start();
      try {
        for (int i = 0; i < latencySamples; i++) {
          final String task = task("latency", i);
          publishTask(producer, task, i, k, false);
          producer.flush();
          checkSent();
          await(arrivals, task + "#" + (k - 1));
          final long t0 = System.nanoTime();
          producer.send(record(Topics.SCORES_JUDGE.name(), task, judge(task, k - 1, i))).get();
          // the clock starts before the send: the producer's acknowledgement is part of the latency
          final long arrived = await(arrivals, task + "#" + k);
          out.add(arrived - t0);
        }
      } finally {
        stop.set(true);
        poller.join();
      }
    }
    return out;
  }

  private static long await(final Map<String, Long> arrivals, final String key) throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!arrivals.containsKey(key)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no ranking " + key + " within 60 s");
      }
      Thread.sleep(0, 200_000);
    }
    return arrivals.get(key);
  }

  private KafkaStreams start(final String bootstrap, final String applicationId) {
    final Properties props = HybridRankingTopology.streamsConfig(bootstrap, applicationId, REGISTRY,
        dir.resolve("state"));
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, STREAM_THREADS);
    final KafkaStreams streams = new KafkaStreams(HybridRankingTopology.build(RankingConfig.defaults(),
        R2eSerdes.valueSerde(Topics.CANDIDATES, REGISTRY), R2eSerdes.valueSerde(Topics.SCORES_TEST, REGISTRY),
        R2eSerdes.valueSerde(Topics.SCORES_JUDGE, REGISTRY), R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY),
        R2eSerdes.valueSerde(Topics.dlqOf(Topics.CANDIDATES), REGISTRY)), props);
    streams.start();
    return streams;
  }

  private static void close(final KafkaStreams streams) {
    streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }

  private static long publishTasks(final KafkaProducer<String, SpecificRecord> producer, final String prefix,
      final int tasks, final int k, final boolean withLastJudge) {
    long events = 0;
    for (int t = 0; t < tasks; t++) {
      events += publishTask(producer, task(prefix, t), t, k, withLastJudge);
    }
    producer.flush();
    checkSent();
    return events;
  }

  /** A task's candidates, test scores and judge scores (all but the last judge score unless asked). */
  private static int publishTask(final KafkaProducer<String, SpecificRecord> producer, final String task,
      final int t, final int k, final boolean withLastJudge) {
    int n = 0;
    for (int s = 0; s < k; s++) {
      final String id = task + "/bench/" + s;
      send(producer, record(Topics.CANDIDATES.name(), task, CandidatePatch.newBuilder().setCandidateId(id)
          .setTaskId(task).setRunId("bench").setSample(s).setModel("bench")
          .setPatch("diff --git a/src/m" + s + ".py b/src/m" + s + ".py\n--- a/src/m.py\n+++ b/src/m.py\n"
              + "@@ -1 +1 @@\n-x = " + s + "\n+x = " + (s + 1) + "\n")
          .setCreatedAt(Instant.ofEpochMilli(t)).setReward((t + s) % 4 == 0 ? 1.0 : 0.0).build()));
      send(producer, record(Topics.SCORES_TEST.name(), task, TestScore.newBuilder().setCandidateId(id).setTaskId(task)
          .setStatus(GradeStatus.PASS).setRegressionPassed((t * 7 + s * 3) % 11).setRegressionTotal(10)
          .setReproductionScores(List.of((double) ((t + s) % 3), 1.0)).setTestScore(1)
          .setScoredAt(Instant.ofEpochMilli(t)).build()));
      n += 2;
      if (withLastJudge || s < k - 1) {
        send(producer, record(Topics.SCORES_JUDGE.name(), task, judge(task, s, t)));
        n++;
      }
    }
    return n;
  }

  private static JudgeScore judge(final String task, final int s, final int t) {
    return JudgeScore.newBuilder().setCandidateId(task + "/bench/" + s).setTaskId(task).setModel("judge")
        .setPYes(((t * 13 + s * 29) % 100) / 100.0).setStatus(GradeStatus.PASS).setScoredAt(Instant.ofEpochMilli(t))
        .build();
  }

  private static String task(final String prefix, final int t) {
    return prefix + "/repo@" + String.format("%08x", t);
  }

  /** The first failed send: an input the benchmark lost would leave its task unranked, so it fails the run. */
  private static final java.util.concurrent.atomic.AtomicReference<Exception> SEND_FAILURE =
      new java.util.concurrent.atomic.AtomicReference<>();

  private static void send(final KafkaProducer<String, SpecificRecord> producer,
      final ProducerRecord<String, SpecificRecord> record) {
    producer.send(record, (meta, e) -> {
      if (e != null) {
        SEND_FAILURE.compareAndSet(null, e);
      }
    });
  }

  private static void checkSent() {
    if (SEND_FAILURE.get() != null) {
      throw new IllegalStateException("an input record was not published: " + SEND_FAILURE.get().getMessage(),
          SEND_FAILURE.get());
    }
  }

  private static ProducerRecord<String, SpecificRecord> record(final String topic, final String key,
      final SpecificRecord value) {
    return new ProducerRecord<>(topic, key, value);
  }

  @SuppressWarnings("unchecked")
  private static KafkaProducer<String, SpecificRecord> producer(final String bootstrap) {
    final Map<String, Serializer<SpecificRecord>> byTopic = new HashMap<>();
    for (final var spec : List.of(Topics.CANDIDATES, Topics.SCORES_TEST, Topics.SCORES_JUDGE)) {
      byTopic.put(spec.name(), (Serializer<SpecificRecord>) (Serializer<?>) R2eSerdes.valueSerde(spec, REGISTRY)
          .serializer());
    }
    final Serializer<SpecificRecord> any = (topic, value) -> byTopic.get(topic).serialize(topic, value);
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024), new StringSerializer(),
        any);
  }

  /** A read_committed reader of r2e.rankings positioned at its current end (only new rankings count). */
  private static KafkaConsumer<String, HybridRanking> readerAtEnd(final String bootstrap) {
    final KafkaConsumer<String, HybridRanking> c = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
        R2eSerdes.valueSerde(Topics.RANKINGS, REGISTRY).deserializer());
    final List<TopicPartition> parts = c.partitionsFor(Topics.RANKINGS.name()).stream()
        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    c.assign(parts);
    c.seekToEnd(parts);
    parts.forEach(c::position);
    return c;
  }

  private String report(final long events, final List<long[]> samples, final List<Long> latencies,
      final String loadBefore) {
    final List<Long> fromStart = samples.stream().map(s -> s[0]).sorted().toList();
    final List<Long> steady = samples.stream().map(s -> s[1]).sorted().toList();
    final long medStart = fromStart.get(fromStart.size() / 2);
    final long medSteady = steady.get(steady.size() / 2);
    final List<Long> lat = latencies.stream().sorted().toList();
    final double p50 = lat.get((int) Math.ceil(0.50 * lat.size()) - 1) / 1e6;
    final double p99 = lat.get((int) Math.ceil(0.99 * lat.size()) - 1) / 1e6;
    final double rateStart = events / (medStart / 1e9);
    final double rateSteady = events / (medSteady / 1e9);
    final StringBuilder b = new StringBuilder("# Ranking topology benchmark\n\n");
    b.append("- date: ").append(Instant.now()).append('\n');
    b.append("- input: ").append(tasks).append(" tasks x ").append(k).append(" candidates x (candidate + test score"
        + " + judge score) = ").append(events).append(" events; ").append(rounds).append(" rounds, fresh application"
        + " each; HybridRankingTopology, mode HYBRID, exactly_once_v2, ").append(STREAM_THREADS)
        .append(" stream threads, embedded broker\n");
    b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", max heap ")
        .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB; load average (1 min) ")
        .append(loadBefore).append(" before, ").append(loadAverage()).append(" after\n\n");
    b.append("| measure | median | rounds |\n|---|---:|---|\n");
    b.append("| throughput from KafkaStreams.start() (events/s) | ").append(String.format("%.0f", rateStart))
        .append(" | ").append(samples.stream().map(s -> String.format("%.0f", events / (s[0] / 1e9))).toList())
        .append(" |\n");
    b.append("| throughput, first ranking to last (events/s) | ").append(String.format("%.0f", rateSteady))
        .append(" | ").append(samples.stream().map(s -> String.format("%.0f", events / (s[1] / 1e9))).toList())
        .append(" |\n");
    b.append("| latency last score -> ranking readable, p50 (ms) | ").append(String.format("%.0f", p50))
        .append(" | ").append(lat.size()).append(" samples |\n");
    b.append("| latency last score -> ranking readable, p99 (ms) | ").append(String.format("%.0f", p99))
        .append(" | |\n");
    b.append("\nTarget: >= ").append(String.format("%.0f", TARGET_EVENTS_PER_SECOND)).append(" events/s on 2 cores: ")
        .append(rateSteady >= TARGET_EVENTS_PER_SECOND ? "met" : "NOT met").append(" once running, ")
        .append(rateStart >= TARGET_EVENTS_PER_SECOND ? "met" : "NOT met").append(" with start-up.\n");
    return b.toString();
  }

  private static String loadAverage() {
    final double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format("%.2f", load);
  }
}
