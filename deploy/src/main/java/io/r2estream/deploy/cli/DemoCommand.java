package io.r2estream.deploy.cli;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.config.ConfigKeys;
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
 * in Docker, rolls out on the tasks and ends with the hybrid rankings of their candidates.
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
        ConfigKeys.JDBC_EMBEDDED_PORT, ConfigKeys.CONNECT_PORT, ConfigKeys.HTTP_PORT}) {
      if (!root.overrides.containsKey(port)) {
        extra.put(port, 0);
      }
    }
    if (!validation) {
      extra.put(io.r2estream.envbuilder.EnvBuilderConfig.ENABLED_CONFIG, false);
    }
    final PlatformConfig config = root.config(extra);
    System.out.println("Starting the embedded platform (data in " + config.dataDir() + ")");
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(config, System.out::println)) {
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
      return rollouts(platform, List.copyOf(outcome.tasks().keySet())) ? 0 : 1;
    } finally {
      if (freshDir) {
        deleteQuietly(dataDir);
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
