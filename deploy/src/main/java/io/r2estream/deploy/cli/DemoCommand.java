package io.r2estream.deploy.cli;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.config.ConfigKeys;
import io.r2estream.connect.dataset.DatasetSinkConfig;
import io.r2estream.dashboard.DashboardConfig;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.testgen.TestGenConfig;
import io.r2estream.verifier.judge.JudgeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code r2e demo}: the main job. Starts the embedded platform, ingests a repository (the bundled sample project by
 * default), waits until the pipeline has decided every commit, and prints the funnel; then validates the candidates
 * in Docker, rolls out on the tasks and prints the hybrid rankings of their candidates; then waits until the sinks
 * have stored the demo's tasks, trajectories and rankings in PostgreSQL and the dataset files, prints where they and
 * the dashboard are, and keeps serving until Ctrl-C ({@code --exit}: stops right away).
 */
@Command(name = "demo", description = "Run a repository (default: the bundled sample) through the pipeline: the funnel, tasks, "
    + "rollouts and hybrid rankings.")
final class DemoCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATH-OR-URL",
      description = "Repository to run (default: the sample Python project in samples/).")
  String repository;

  @Mixin
  RepositoryOptions options;

  @Option(names = "--timeout", description = "How long to wait for the pipeline to decide every commit (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofMinutes(10);

  @Option(names = "--candidates", description = "How many candidates to list (default: ${DEFAULT-VALUE}).")
  int listCandidates = 20;

  @Option(names = "--validation-timeout", description = "How long to wait for every candidate to be validated in Docker "
      + "and turned into a task (default: ${DEFAULT-VALUE}).")
  Duration validationTimeout = Duration.ofMinutes(30);

  @Option(names = "--ranking-timeout", description = "How long to wait after the rollouts for every candidate's "
      + "scores to reach the hybrid rankings (default: ${DEFAULT-VALUE}).")
  Duration rankingTimeout = Duration.ofMinutes(10);

  @Option(names = "--no-rollouts", negatable = true, description = "Stop after the tasks: no agent rollouts.")
  boolean rollouts = true;

  @Option(names = "--no-validation", negatable = true, description = "Stop after the selection funnel: no Docker.")
  boolean validation = true;

  @Option(names = "--no-dashboard", negatable = true, description = "Do not start the live dashboard (default: it "
      + "starts, on a free port unless " + DashboardConfig.PORT + " is set).")
  boolean dashboard = true;

  @Option(names = "--storage-timeout", description = "How long to wait for the sinks to store the demo's tasks, "
      + "trajectories and rankings in PostgreSQL and the dataset files (default: ${DEFAULT-VALUE}; the dataset files "
      + "become final within r2e.sink.dataset.roll.interval.ms, 5 s in the demo).")
  Duration storageTimeout = Duration.ofMinutes(4);

  @Option(names = "--exit", description = "Stop the platform once everything is reported instead of serving the "
      + "dashboard, PostgreSQL and the files until Ctrl-C.")
  boolean exit;

  /** What the run produced, for the storage check: the new tasks, their rollouts, the tasks with a ranking. */
  private final Set<String> demoTasks = new TreeSet<>();
  private final Set<String> demoRollouts = new TreeSet<>();
  private final Set<String> rankedTasks = new TreeSet<>();

  @Override
  public Integer call() throws IOException {
    // A fresh data directory and free ports unless told otherwise: the demo never collides with a running `r2e up`.
    final Map<String, Object> extra = new HashMap<>();
    final boolean freshDir = root.dataDir == null && !root.overrides.containsKey(ConfigKeys.DATA_DIR);
    final Path dataDir = freshDir ? Files.createTempDirectory("r2e-demo-") : null;
    if (freshDir) {
      extra.put(ConfigKeys.DATA_DIR, dataDir.toString());
    }
    for (final String port : new String[] {ConfigKeys.KAFKA_EMBEDDED_PORT, ConfigKeys.REGISTRY_EMBEDDED_PORT,
        ConfigKeys.JDBC_EMBEDDED_PORT, ConfigKeys.CONNECT_PORT, ConfigKeys.HTTP_PORT, ConfigKeys.METRICS_PORT}) {
      if (!root.overrides.containsKey(port)) {
        extra.put(port, 0);
      }
    }
    // Dataset files become final 5 s after their first row instead of a minute: the demo shows them at its end.
    final String roll = ConfigKeys.SINK_DATASET_PREFIX + "roll.interval.ms";
    if (!root.overrides.containsKey(roll)) {
      extra.put(roll, 5_000);
    }
    if (!validation) {
      extra.put(io.r2estream.envbuilder.EnvBuilderConfig.ENABLED_CONFIG, false);
    }
    if (!root.overrides.containsKey(DashboardConfig.ENABLED)) {
      extra.put(DashboardConfig.ENABLED, dashboard);
    }
    if (!root.overrides.containsKey(DashboardConfig.PORT)) {
      extra.put(DashboardConfig.PORT, 0);
    }
    final PlatformConfig config = root.config(extra);
    System.out.println("Starting the embedded platform (data in " + config.dataDir() + ")");
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, System.out::println)) {
      int code = pipeline(platform, config);
      if (code == 0 && !storage(platform)) {
        code = 1;
      }
      final String dashboardUrl = platform.endpoints().get("dashboard");
      System.out.println();
      System.out.printf("  %-12s %s%n", "dashboard", dashboardUrl == null ? "off" : dashboardUrl);
      if (!exit) {
        System.out.println("Serving the platform, PostgreSQL, the dataset files and the dashboard until Ctrl-C"
            + (freshDir ? " (then the demo's data directory is removed)." : "."));
        serveUntilStopped(platform);
      }
      return code;
    } finally {
      if (freshDir) {
        deleteQuietly(dataDir);
      }
    }
  }

  /** The pipeline from ingestion to rankings; 0 when every stage completed. */
  private int pipeline(final EmbeddedPlatform platform, final PlatformConfig config) throws IOException {
    final RepositorySource source = repository == null
        ? RepositorySource.local(SampleProject.materialize(config.dataDir().resolve("samples")))
            .withId(options.repoId == null ? SampleProject.REPOSITORY_ID : options.repoId)
        : options.source(repository, config.dataDir().resolve("clones"));
    final IngestRun.Result ingest = IngestRun.run(source, options.range(), platform.kafkaClient(),
        platform.registryUrl());
    IngestRun.print(ingest.report());
    final Funnel funnel;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("SWE-GEN selection").setStyle(ProgressBarStyle.ASCII)
        .setInitialMax(ingest.keys().size()).setUpdateIntervalMillis(250).setUnit(" commits", 1).build()) {
      funnel = FunnelCollector.collect(platform.kafkaClient(), platform.registryUrl(), ingest.keys(), timeout,
          bar::stepTo);
    }
    print(ingest, funnel);
    if (!funnel.undecided().isEmpty()) {
      return 1;
    }
    if (!validation || funnel.candidates().isEmpty()) {
      return 0;
    }
    final java.util.Set<String> keys = new java.util.LinkedHashSet<>();
    funnel.candidates().forEach(c -> keys.add(c.getTaskId()));
    final ValidationCollector.Outcome outcome;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Validation in Docker")
        .setStyle(ProgressBarStyle.ASCII).setInitialMax(keys.size()).setUpdateIntervalMillis(1000)
        .setUnit(" candidates", 1).build()) {
      outcome = ValidationCollector.collect(platform.kafkaClient(), platform.registryUrl(), keys,
          validationTimeout, bar::stepTo);
    }
    SweGenReport.print(outcome, System.out);
    if (!outcome.complete()) {
      return 1;
    }
    demoTasks.addAll(outcome.tasks().keySet());
    return rollouts(platform, List.copyOf(outcome.tasks().keySet())) ? 0 : 1;
  }

  /**
   * Waits for the sinks to store what the demo produced and prints where it is; true when everything arrived (or
   * there is nothing to store, or the sinks are off).
   */
  private boolean storage(final EmbeddedPlatform platform) {
    final boolean postgres = Boolean.parseBoolean(String.valueOf(platform.config().properties()
        .getOrDefault(ConfigKeys.SINK_POSTGRES_ENABLED, "true")));
    if (demoTasks.isEmpty() || !platform.config().connectEnabled() || !postgres) {
      return true;
    }
    System.out.println();
    System.out.println("Storage (Kafka Connect sinks)");
    final Path datasets = platform.config().dataDir().resolve(DatasetSinkConfig.PLATFORM_DIR_NAME);
    final DemoSinks.Expected expected = new DemoSinks.Expected(Set.copyOf(demoTasks), Set.copyOf(demoRollouts),
        Set.copyOf(rankedTasks));
    final DemoSinks.Found found = DemoSinks.await(platform.jdbcUrl(), platform.jdbcUsername(),
        platform.jdbcPassword(), datasets, expected, storageTimeout);
    DemoSinks.print(found, expected, platform.jdbcUrl(), datasets, System.out);
    return found.covers(expected);
  }

  /**
   * Blocks until Ctrl-C (a shutdown hook stops the platform) or, inside one JVM, until the thread is interrupted
   * (how a test stops it); either way the caller's try-with-resources then closes what is still open.
   */
  private static void serveUntilStopped(final EmbeddedPlatform platform) {
    final CountDownLatch stopped = new CountDownLatch(1);
    final Thread hook = new Thread(() -> {
      System.out.println("Stopping...");
      platform.close();
      stopped.countDown();
    }, "r2e-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      // Asked to stop from inside the JVM: fall through to the normal close, with the flag clear so it can wait.
      System.out.println("Stopping...");
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running.
      }
    }
  }

  /**
   * Rollouts on the new tasks: with the configured LLM when there is one, else with the deterministic models, labelled
   * as such (the oracle must resolve every task, the empty submit none). Then the hybrid rankings of their candidates.
   */
  private boolean rollouts(final EmbeddedPlatform platform, final List<String> taskIds) {
    if (taskIds.isEmpty() || !rollouts) {
      return true;
    }
    final Map<String, String> props = new HashMap<>();
    platform.config().properties().forEach((k, v) -> props.put(k, String.valueOf(v)));
    final io.r2estream.llm.LlmConfig llm = io.r2estream.llm.LlmConfig.from(props);
    final List<String> models = llm.configured() ? List.of(llm.model())
        : List.of(io.r2estream.agent.OracleModel.NAME, io.r2estream.agent.EmptySubmitModel.NAME);
    System.out.println();
    System.out.println(llm.configured() ? "Rollouts with " + llm.model() + " at " + llm.baseUrl()
        : "Rollouts (no LLM configured: the deterministic oracle and empty-submit models)");
    boolean all = true;
    final Map<String, Set<String>> candidates = new LinkedHashMap<>();
    taskIds.forEach(t -> candidates.put(t, new TreeSet<>()));
    for (final String model : models) {
      final List<io.r2estream.avro.RolloutRequest> requests = RolloutRun.requests(taskIds, "demo-" + model, 1, model, 0.0, 40,
          Map.of());
      RolloutRequestPublisher.publish(platform.kafkaClient(), platform.registryUrl(), requests);
      final RolloutRun.Result r = RolloutRun.follow(platform.kafkaClient(), platform.registryUrl(), requests,
          validationTimeout, System.out);
      System.out.printf("  %-14s resolved %d of %d tasks%n", model, r.resolved(), r.requested());
      all &= r.trajectories().size() == r.requested();
      // Every trajectory comes with its candidate patch, which the verifiers score.
      r.trajectories().values().forEach(t -> candidates.get(t.getTaskId()).add(t.getRolloutId()));
      r.trajectories().values().forEach(t -> demoRollouts.add(t.getRolloutId()));
    }
    return rankings(platform, props, candidates) && all;
  }

  /**
   * Waits for the hybrid ranking of every task to cover its candidates with their scores and prints them, saying
   * which verifiers took part: without an LLM only the regression score of the execution-based verifier exists.
   */
  private boolean rankings(final EmbeddedPlatform platform, final Map<String, String> props,
      final Map<String, Set<String>> candidates) {
    final JudgeConfig judge = JudgeConfig.from(props);
    final boolean judgeOn = judge.enabled() && judge.llm().configured();
    final TestGenConfig testgen = TestGenConfig.from(props);
    final boolean testgenOn = testgen.enabled() && io.r2estream.llm.LlmConfig.from(props).configured();
    System.out.println();
    if (!judgeOn && !testgenOn) {
      System.out.println("Hybrid rankings (no LLM configured: the judge and the testing agent are off, so the ranking"
          + " rests on regression scores alone, ties broken by candidate id)");
    } else {
      System.out.println("Hybrid rankings (judge " + (judgeOn ? judge.llm().model() : "off") + ", testing agent "
          + (testgenOn ? testgen.samples() + " test(s) per task" : "off") + ")");
    }
    final DemoRankings.Outcome o = DemoRankings.collect(platform.kafkaClient(), platform.registryUrl(),
        candidates, judgeOn, rankingTimeout);
    DemoRankings.print(o, List.copyOf(candidates.keySet()), System.out);
    rankedTasks.addAll(o.byTask().keySet());
    return o.complete();
  }

  private void print(final IngestRun.Result ingest, final Funnel f) {
    final var s = ingest.report().stats();
    System.out.println();
    System.out.println("SWE-GEN funnel for " + ingest.report().repository());
    System.out.printf("  %-34s %6d%n", "commits in range (non-merge)", s.selected());
    System.out.printf("  %-34s %6d%n", "merges skipped", s.mergesSkipped());
    System.out.printf("  %-34s %6d%n", "commit events ingested", ingest.report().published());
    System.out.printf("  %-34s %6d%n", "env candidates", f.candidates().size());
    System.out.printf("  %-34s %6d%n", "rejected", f.rejections().size());
    f.rejectionsByRule().forEach((rule, n) -> System.out.printf("    %-32s %6d%n", rule, n));
    System.out.printf("  %-34s %6d%n", "dead letters", f.deadLetters().size());
    f.deadLetters().stream().limit(5).forEach(d -> System.out.println("    " + d.getErrorMessage()));
    if (!f.undecided().isEmpty()) {
      System.out.printf("  %-34s %6d  (not decided within %s)%n", "undecided", f.undecided().size(), timeout);
    }
    if (!f.candidates().isEmpty()) {
      System.out.println();
      System.out.println("Candidates (commit, subject, edited entities):");
      f.candidates().stream().limit(listCandidates).forEach(c -> System.out.printf("  %s  %-58s %s%n",
          c.getCommitSha().substring(0, 10), subject(c), entities(c)));
      if (f.candidates().size() > listCandidates) {
        System.out.println("  ... and " + (f.candidates().size() - listCandidates) + " more");
      }
    }
  }

  private static String subject(final EnvCandidate c) {
    final String first = c.getCommitMessage().lines().findFirst().orElse("");
    return first.length() > 58 ? first.substring(0, 55) + "..." : first;
  }

  private static String entities(final EnvCandidate c) {
    return c.getModifiedEntities().stream().map(e -> e.getName()).distinct().limit(3)
        .reduce((a, b) -> a + ", " + b).orElse("");
  }

  private static void deleteQuietly(final Path dir) {
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      System.err.println("note: could not delete " + dir + ": " + e.getMessage());
    }
  }
}
