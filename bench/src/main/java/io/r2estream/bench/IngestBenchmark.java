package io.r2estream.bench;

import io.r2estream.testkit.Git;
import io.r2estream.testkit.SyntheticPythonHistory;

import io.r2estream.avro.CommitEvent;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.producers.commits.CommitPublisher;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScan;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.EventSource;
import io.r2estream.producers.commits.IngestProgress;
import io.r2estream.producers.commits.IngestReport;
import io.r2estream.producers.commits.RepositoryIngestor;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.serde.AvroSerializer;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures commit ingestion against {@code git log -p} over the same synthetic history, then SWE-GEN selection of
 * the same commits: {@code CommitSelector} alone and the real {@code EnvGenerationTopology} on an embedded broker
 * ({@link EnvGenerationStages}); see bench/run.sh. Within each group, each stage runs once per round, stages
 * alternating, so machine noise hits them alike; medians are reported in one table.
 * Before the rounds, an untimed scan, scan + publish and selector pass over the most recent {@code --warmup}
 * commits (default {@value #DEFAULT_WARMUP_COMMITS}) let the JIT compile those paths, as in a long-running
 * service; round 1 still pays part of the warm-up on a busy 2-core machine, which the medians absorb.
 */
public final class IngestBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
  private static final int DEFAULT_COMMITS = 20_000;
  private static final int DEFAULT_ROUNDS = 3;
  private static final int DEFAULT_WARMUP_COMMITS = 2_000;
  private static final String REGISTRY_SCOPE = "ingest-benchmark";
  private static final String REPOSITORY_ID = "bench/synthetic";
  private static final String GIT_STAGE = "git log -p";
  private static final String SCAN_STAGE = "scan (events built + serialized)";
  private static final String PUBLISH_STAGE = "scan + publish (embedded broker)";
  private static final String SELECTOR_STAGE = "selector (CommitSelector.select, tokens parser, 1 thread, in memory)";
  private static final String REFERENCE_STAGE = "selector with tree-sitter (the reference parser, 1 thread)";
  private static final String TOPOLOGY_STAGE = "topology (EnvGenerationTopology, exactly_once_v2, 2 threads)";
  private static final String STEADY_STAGE = "topology once running (first decision to last, same rounds)";
  /** Stages that ingest and so compare with git log -p; the SWE-GEN stages have a commits/s target instead. */
  private static final List<String> INGESTION_STAGES = List.of(GIT_STAGE, SCAN_STAGE, PUBLISH_STAGE);
  /** The acceptance target: ingestion within this factor of git log -p. */
  static final double TARGET_RATIO = 3.0;

  private final Path out;
  private final Path repo;
  private final int rounds;
  private final ScanLimits limits;
  private final int warmup;

  private IngestBenchmark(final Path out, final int rounds, final int threads, final int warmup) {
    this.warmup = warmup;
    this.out = out;
    this.repo = out.resolve("history.git");
    this.rounds = rounds;
    this.limits = ScanLimits.defaults().withRenderThreads(threads);
  }

  public static void main(final String[] args) throws Exception {
    Path out = null;
    int commits = DEFAULT_COMMITS;
    int rounds = DEFAULT_ROUNDS;
    int threads = ScanLimits.DEFAULT_RENDER_THREADS;
    int warmup = DEFAULT_WARMUP_COMMITS;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]).toAbsolutePath();
        case "--commits" -> commits = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: --out DIR [--commits N] [--rounds R] [--threads T] [--warmup N]");
      }
    }
    if (out == null) {
      throw new IllegalArgumentException("--out DIR is required (bench/run.sh passes bench/out)");
    }
    new IngestBenchmark(out, rounds, threads, warmup).run(commits);
  }

  private void run(final int commits) throws Exception {
    final long genStart = System.nanoTime();
    SyntheticPythonHistory.ensure(repo, commits);
    LOG.info("History of {} commits ready in {} ({} s)", commits, repo, (System.nanoTime() - genStart) / 1e9);

    final Path kafkaDir = Files.createTempDirectory(out, "kafka-");
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(kafkaDir, 0).start()) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          broker.bootstrapServers()))) {
        TopicCreator.ensure(admin, Topics.all(), (short) 1);
      }
      final List<Stage> stages = stages(broker.bootstrapServers());
      if (warmup > 0) {
        scanAndSerialize(CommitRange.head().maxCommits(warmup));
        scanAndPublish(broker.bootstrapServers(), CommitRange.head().maxCommits(warmup));
      }
      final String loadBefore = loadAverage();
      final Map<String, List<Sample>> samples = new LinkedHashMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (final Stage stage : stages) {
          final Sample s = stage.run();
          samples.computeIfAbsent(stage.name(), k -> new ArrayList<>()).add(s);
          LOG.info("round {} {}: {} ms", round, stage.name(), s.millis());
        }
      }
      final String loadAfterIngestion = loadAverage();
      broker.close();
      final String envGenSummary = envGenerationRounds(samples);
      final String report = report(commits, samples, loadBefore, loadAfterIngestion, envGenSummary);
      System.out.println(report);
      Files.writeString(out.resolve("results.md"), report, StandardCharsets.UTF_8);
    } finally {
      deleteRecursively(kafkaDir);
      InMemorySchemaRegistryClient.dropScope(REGISTRY_SCOPE);
    }
  }

  /**
   * The SWE-GEN rounds, after the ingestion rounds and on a broker of their own (see {@link EnvGenerationStages}):
   * one untimed scan keeps the events in memory, then selector and topology alternate. Returns the report lines
   * on their decisions and settings.
   */
  private String envGenerationRounds(final Map<String, List<Sample>> samples) throws Exception {
    final List<CommitEvent> events = new ArrayList<>();
    try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo).withId(REPOSITORY_ID), limits);
         CommitScan scan = scanner.scan(CommitRange.head())) {
      scan.forEachRemaining(events::add);
    }
    final Path dir = Files.createTempDirectory(out, "envgen-");
    try (EnvGenerationStages envGen = EnvGenerationStages.start(events, dir)) {
      envGen.warmUp(warmup);
      if (warmup > 0) {
        // One untimed topology round: the first one runs 1.5-2x slower (JIT of the Kafka client and Streams paths).
        envGen.topology();
        envGen.forgetRounds();
      }
      final List<Stage> stages = List.of(new Stage(SELECTOR_STAGE, envGen::select),
          new Stage(REFERENCE_STAGE, envGen::selectWithTreeSitter), new Stage(TOPOLOGY_STAGE, envGen::topology));
      for (int round = 1; round <= rounds; round++) {
        for (final Stage stage : stages) {
          final Sample s = stage.run();
          samples.computeIfAbsent(stage.name(), k -> new ArrayList<>()).add(s);
          LOG.info("round {} {}: {} ms", round, stage.name(), s.millis());
        }
      }
      samples.put(STEADY_STAGE, envGen.steadyState());
      return envGen.summary();
    } finally {
      deleteRecursively(dir);
    }
  }

  /** The measured stages, in the order each round runs them. */
  private List<Stage> stages(final String bootstrap) {
    return List.of(
        new Stage(GIT_STAGE, this::gitLogPatch),
        new Stage(SCAN_STAGE, () -> scanAndSerialize(CommitRange.head())),
        new Stage(PUBLISH_STAGE, () -> scanAndPublish(bootstrap, CommitRange.head())));
  }

  private Sample gitLogPatch() throws IOException, InterruptedException {
    final long start = System.nanoTime();
    final Process p = Git.command(repo, "log", "-p", "--no-color", "--no-ext-diff", "main")
        .redirectOutput(Redirect.DISCARD).redirectError(Redirect.INHERIT).start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git log -p failed with exit code " + p.exitValue());
    }
    return new Sample(System.nanoTime() - start, -1, -1);
  }

  private Sample scanAndSerialize(final CommitRange range) throws IOException {
    final AvroSerializer<CommitEvent> serializer =
        new AvroSerializer<>(InMemorySchemaRegistryClient.scope(REGISTRY_SCOPE), false, true);
    final long start = System.nanoTime();
    long commits = 0;
    long bytes = 0;
    try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo).withId(REPOSITORY_ID), limits);
         CommitScan scan = scanner.scan(range)) {
      while (scan.hasNext()) {
        bytes += serializer.serialize(Topics.COMMITS.name(), scan.next()).length;
        commits++;
      }
      if (scan.stats().errorCount() > 0) {
        throw new IllegalStateException("scan reported errors: " + scan.stats().errors());
      }
    }
    return new Sample(System.nanoTime() - start, commits, bytes);
  }

  private Sample scanAndPublish(final String bootstrap, final CommitRange range) throws IOException {
    final long start = System.nanoTime();
    try (CommitPublisher publisher = new CommitPublisher(bootstrap, "mock://" + REGISTRY_SCOPE);
         CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo).withId(REPOSITORY_ID), limits)) {
      final IngestReport report = new RepositoryIngestor(publisher).ingest(scanner, range,
          EventSource.SCAN, IngestProgress.NONE);
      return new Sample(System.nanoTime() - start, report.published(), -1);
    }
  }

  private String report(final int commits, final Map<String, List<Sample>> samples, final String loadBefore,
      final String loadAfterIngestion, final String envGenSummary) throws IOException, InterruptedException {
    final StringBuilder b = new StringBuilder();
    final long baseline = median(samples.get(GIT_STAGE));
    b.append("# Ingestion and SWE-GEN topology benchmark\n\n");
    b.append("- date: ").append(Instant.now()).append('\n');
    b.append("- history: ").append(commits).append(" synthetic commits (")
        .append(String.format("%.1f", Files.walk(repo).filter(Files::isRegularFile).mapToLong(IngestBenchmark::size)
            .sum() / 1e6)).append(" MB repository), `").append(repo.getFileName()).append("`\n");
    b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(", max heap ")
        .append(Runtime.getRuntime().maxMemory() / (1024 * 1024)).append(" MB, ").append(gitVersion()).append('\n');
    b.append("- scanner: ").append(limits.renderThreads()).append(" render threads; ").append(rounds)
        .append(" rounds, ingestion stages alternating, then selector and topology alternating on a fresh broker; ")
        .append("untimed warm-up (scan, scan + publish, selector) of the newest ").append(warmup)
        .append(" commits, and one untimed topology round\n");
    b.append("- load average (1 min): ").append(loadBefore).append(" before the ingestion rounds, ")
        .append(loadAfterIngestion).append(" before the SWE-GEN rounds, ").append(loadAverage())
        .append(" at the end\n\n");
    b.append("| stage | median ms | rounds ms | commits/s | ratio to git log -p |\n");
    b.append("|---|---:|---|---:|---:|\n");
    for (final Map.Entry<String, List<Sample>> e : samples.entrySet()) {
      final long med = median(e.getValue());
      final long n = e.getValue().get(0).commits() > 0 ? e.getValue().get(0).commits() : commits;
      b.append("| ").append(e.getKey()).append(" | ").append(med / 1_000_000).append(" | ")
          .append(e.getValue().stream().map(s -> Long.toString(s.millis())).toList()).append(" | ")
          .append(String.format("%.0f", n / (med / 1e9))).append(" | ")
          .append(INGESTION_STAGES.contains(e.getKey()) ? String.format("%.2fx", (double) med / baseline) : "-")
          .append(" |\n");
    }
    final long scan = median(samples.get(SCAN_STAGE));
    final long publish = median(samples.get(PUBLISH_STAGE));
    final List<Sample> topology = samples.get(TOPOLOGY_STAGE);
    final double topologyRate = topology.get(0).commits() / (median(topology) / 1e9);
    final List<Sample> steady = samples.get(STEADY_STAGE);
    final double steadyRate = steady.get(0).commits() / (median(steady) / 1e9);
    b.append("\nTarget: ingestion within ").append(TARGET_RATIO).append("x of git log -p. Scan: ")
        .append(String.format("%.2fx", (double) scan / baseline)).append(", scan + publish: ")
        .append(String.format("%.2fx", (double) publish / baseline)).append(" -> ")
        .append(publish <= TARGET_RATIO * baseline ? "met" : "NOT met").append(".\n");
    b.append("Target: topology >= ").append(String.format("%.0f", EnvGenerationStages.TARGET_COMMITS_PER_SECOND))
        .append(" commits/s on 2 cores. Topology once running: ").append(String.format("%.0f", steadyRate))
        .append(" commits/s -> ")
        .append(steadyRate >= EnvGenerationStages.TARGET_COMMITS_PER_SECOND ? "met" : "NOT met")
        .append("; from KafkaStreams.start(), start-up included: ").append(String.format("%.0f", topologyRate))
        .append(" commits/s -> ")
        .append(topologyRate >= EnvGenerationStages.TARGET_COMMITS_PER_SECOND ? "met" : "NOT met").append(".\n");
    b.append("Events: ").append(samples.get(SCAN_STAGE).get(0).commits())
        .append(" per scan, ").append(String.format("%.1f",
            samples.get(SCAN_STAGE).get(0).bytes() / 1e6)).append(" MB serialized.\n");
    b.append(envGenSummary);
    return b.toString();
  }

  /** Other processes on the machine skew the timings; the report says how busy it was. */
  private static String loadAverage() {
    final double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format("%.2f", load);
  }

  private static long median(final List<Sample> samples) {
    final List<Long> sorted = samples.stream().map(Sample::nanos).sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static long size(final Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private String gitVersion() throws IOException, InterruptedException {
    final Process p = Git.command(repo, "--version").redirectErrorStream(true).start();
    final String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return v;
  }

  static void deleteRecursively(final Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (final Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** One timed run: wall time, events handled (-1 when not applicable), serialized bytes (-1 when not measured). */
  record Sample(long nanos, long commits, long bytes) {
    long millis() {
      return Duration.ofNanos(nanos).toMillis();
    }
  }

  /** A measured stage of one round. */
  private record Stage(String name, Timed body) {
    Sample run() throws Exception {
      return body.run();
    }
  }

  @FunctionalInterface
  private interface Timed {
    Sample run() throws Exception;
  }
}
