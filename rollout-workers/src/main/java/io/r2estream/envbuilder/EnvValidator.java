package io.r2estream.envbuilder;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.TestRun;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.grading.Grader;
import io.r2estream.grading.ParsedLog;
import io.r2estream.grading.TestLogParsers;
import io.r2estream.grading.TestRunOutcome;
import io.r2estream.grading.ValidationVerdict;
import io.r2estream.metrics.MeterNames;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.recipes.RepositoryRecipe;
import io.r2estream.runtime.ApplyOutcome;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.Patches;
import io.r2estream.runtime.RuntimeFailure;
import io.r2estream.runtime.TestRunMeters;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Validates one environment candidate the way SWE-GEN does, with grading that is hard to fool: the hidden tests
 * (the commit's edited test files, taken at the commit) run N times at the parent and N times at the commit, each
 * state in a fresh container materialised from the env image; per-test statuses give FAIL_TO_PASS, PASS_TO_PASS and
 * the flaky tests (excluded and recorded); a BETTER candidate must then be resolved by its own gold patch, applied
 * to the parent with {@code git apply}, and — when enabled — each non-test file of the patch is left out once to
 * find the relevant files. Every run keeps its exit code and whether the runner's summary proved the suite ran.
 *
 * <p>Failures are split: the repository's (install fails, tests do not run, patch does not apply) become
 * statuses; the platform's (engine, timeouts, out of memory, unreadable repository) become INFRA_ERROR with a
 * label, so they are never counted against a commit.
 */
public final class EnvValidator {

  /** Settings of a validation: reruns per state, the relevant-file ablation, where clones live. */
  public record Settings(int reruns, boolean ablation, Path repoCacheDir, String baseImage, String worker,
      boolean parallelStates) {

    /** States in parallel (the default). */
    public Settings(final int reruns, final boolean ablation, final Path repoCacheDir, final String baseImage,
        final String worker) {
      this(reruns, ablation, repoCacheDir, baseImage, worker, true);
    }

    public Settings {
      if (reruns < 1) {
        throw new IllegalArgumentException("reruns must be at least 1, got " + reruns);
      }
    }
  }

  private static final int LOG_TAIL_CHARS = 8000;

  private final ContainerRuntime runtime;
  private final EnvImages images;
  private final TaskMaterializer materializer;
  private final RecipeRegistry recipes;
  private final Settings settings;
  private final Clock clock;
  /** Runs the parent, commit and gold states side by side: most of a state is waiting on the engine. */
  private final java.util.concurrent.ExecutorService states = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    final Thread t = new Thread(r, "r2e-validation-state");
    t.setDaemon(true);
    return t;
  });

  public EnvValidator(final ContainerRuntime runtime, final EnvImages images, final TaskMaterializer materializer,
      final RecipeRegistry recipes, final Settings settings, final Clock clock) {
    this.runtime = runtime;
    this.images = images;
    this.materializer = materializer;
    this.recipes = recipes;
    this.settings = settings;
    this.clock = clock;
  }

  /** Never throws for a problem of the candidate or the platform: every outcome is a record with its reason. */
  public EnvValidation validate(final EnvCandidate candidate) {
    final Job job = new Job(candidate);
    try (job) {
      return job.run();
    } catch (EnvImages.InstallFailed e) {
      return job.result(ValidationStatus.FAIL_AT_SETUP, e.getMessage(), "");
    } catch (RuntimeFailure e) {
      return job.result(ValidationStatus.INFRA_ERROR, e.getMessage(), e.kind().name());
    } catch (RuntimeException e) {
      return job.result(ValidationStatus.INFRA_ERROR, "validation failed unexpectedly: " + e, FailureKind.DAEMON.name());
    }
  }

  /** One validation's state; results accumulate as phases finish. */
  private final class Job implements AutoCloseable {
    private final List<java.util.concurrent.Future<?>> started = new ArrayList<>();

    /** Waits for every state it started, so that no container of this validation outlives it. */
    @Override
    public void close() {
      started.forEach(this::joinQuietly);
    }

    private final EnvCandidate c;
    private final Map<String, Long> timings = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final List<TestRun> oldRuns = new ArrayList<>();
    private final List<TestRun> newRuns = new ArrayList<>();
    private final List<TestRun> goldRuns = new ArrayList<>();
    private EnvironmentRef env;
    private EnvImage image;
    private List<String> hidden = List.of();
    private ValidationVerdict verdict;
    private boolean goldResolves;
    private List<String> relevant = List.of();
    private boolean relevantChecked;
    private final java.util.concurrent.atomic.AtomicLong diskBytes = new java.util.concurrent.atomic.AtomicLong(-1);
    private volatile String containerDied;
    private final Map<TestRun, ParsedLog> parsedRuns =
        java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    Job(final EnvCandidate c) {
      this.c = c;
    }

    EnvValidation run() {
      try (HostRepository repo = timed("repository", () -> HostRepository.open(c.getRepository(), c.getSourceUrl(),
          settings.repoCacheDir()))) {
        final RepositoryRecipe recipe = recipes.forRepository(c.getRepository());
        final Map<String, byte[]> tests = repo.files(c.getCommitSha(), c.getTestFiles());
        hidden = new ArrayList<>(tests.keySet());
        if (hidden.isEmpty()) {
          return result(ValidationStatus.FAIL_AT_TEST_RUN, "the commit edits no test file that exists after it", "");
        }
        image = timed("env_image", () -> images.ensure(repo, recipe, c.getParentSha()));
        final String testCommand = recipe.testCommand(hidden);
        env = new EnvironmentRef(image.tag(), null, "/testbed", testCommand, recipe.logParser(), "python",
            image.fingerprint(), settings.baseImage());
        final var parent = submit(() -> timed("parent_runs", () -> runState(repo, recipe, "parent",
            c.getParentSha(), tests, null, settings.reruns(), oldRuns)));
        final var commit = submit(() -> timed("commit_runs", () -> runState(repo, recipe, "commit",
            c.getCommitSha(), Map.of(), null, settings.reruns(), newRuns)));
        // The gold state does not depend on the verdict, only its grading does: start it now when in parallel.
        final var early = settings.parallelStates() ? submit(() -> timed("gold_patch", () -> runState(repo, recipe,
            "gold", c.getParentSha(), tests, c.getCodePatch(), 1, goldRuns))) : null;
        join(parent);
        join(commit);
        verdict = ValidationVerdict.decide(outcomes(oldRuns), outcomes(newRuns));
        final TestRun firstCommitRun = newRuns.get(0);
        if (verdict.status() != ValidationStatus.NEW_COMMIT_BETTER) {
          final String label = newRuns.stream().map(TestRun::getInfraFailure).filter(s -> !s.isEmpty()).findFirst()
              .orElse("");
          final String reason = containerDied == null ? verdict.reason()
              : "the " + containerDied + " test run stopped its container; " + verdict.reason();
          if (early != null) {
            joinQuietly(early);
          }
          return result(label.isEmpty() ? verdict.status() : ValidationStatus.INFRA_ERROR, reason, label);
        }
        final Outcome gold = early != null ? join(early) : timed("gold_patch", () -> runState(repo, recipe, "gold",
            c.getParentSha(), tests, c.getCodePatch(), 1, goldRuns));
        if (gold.patchError() != null) {
          return result(ValidationStatus.PATCH_DOES_NOT_APPLY, "the gold patch does not apply to the parent: "
              + gold.patchError(), "");
        }
        goldResolves = Grader.grade(parsed(goldRuns).get(0), verdict.outcomes().failToPass(), verdict.outcomes().passToPass()).resolved();
        if (!goldResolves) {
          return result(ValidationStatus.GOLD_PATCH_UNRESOLVED, "the gold patch applied to the parent does not make"
              + " every FAIL_TO_PASS test pass with PASS_TO_PASS kept", "");
        }
        if (settings.ablation()) {
          relevant = timed("ablation", () -> ablate(repo, recipe, tests));
          relevantChecked = true;
          if (relevant.isEmpty()) {
            return result(ValidationStatus.NO_RELEVANT_FILES, "no non-test file of the gold patch is needed: "
                + "leaving out any one of them still resolves the task", "");
          }
        }
        return result(ValidationStatus.NEW_COMMIT_BETTER, verdict.reason()
            + (firstCommitRun.getSuiteRan() ? "" : " (no runner summary)"), "");
      }
    }

    private List<String> ablate(final HostRepository repo, final RepositoryRecipe recipe,
        final Map<String, byte[]> tests) {
      final List<String> out = new ArrayList<>();
      for (final String file : c.getModifiedFiles()) {
        if (!file.endsWith(".py")) {
          continue;
        }
        final String without = PatchFiles.without(c.getCodePatch(), file);
        if (without.equals(c.getCodePatch())) {
          continue;
        }
        final List<TestRun> runs = new ArrayList<>();
        final Outcome o = runState(repo, recipe, "ablation:" + file, c.getParentSha(), tests, without, 1, runs);
        if (o.patchError() != null || !Grader.grade(parsed(runs).get(0), verdict.outcomes().failToPass(),
            verdict.outcomes().passToPass()).resolved()) {
          out.add(file);
        }
      }
      return out;
    }

    /** One state in a fresh container: materialise, copy the hidden tests, apply a patch, run N times. */
    private Outcome runState(final HostRepository repo, final RepositoryRecipe recipe, final String label,
        final String sha, final Map<String, byte[]> tests, final String patch, final int runs,
        final List<TestRun> into) {
      final long t0 = System.nanoTime();
      final Container ctr = materializer.start(image, repo, sha, "r2e-val-", Map.of("io.r2estream.task",
          c.getTaskId()));
      timings.put(label + ".container", (System.nanoTime() - t0) / 1_000_000);
      try {
        if (!tests.isEmpty()) {
          runtime.copyIn(ctr, "/testbed", tests);
        }
        if (patch != null && !patch.isBlank()) {
          final ApplyOutcome applied = new Patches(runtime).apply(ctr, patch);
          if (!applied.applied()) {
            return new Outcome(applied.error());
          }
        }
        for (int i = 1; i <= runs; i++) {
          try {
            into.add(runOnce(ctr, recipe, label + "#" + i));
          } catch (RuntimeFailure e) {
            if (alive(ctr)) {
              throw e;
            }
            // The tests took the container down (killed its processes, exhausted it): a fact about the tests.
            containerDied = label;
            final TestRun dead = new TestRun(-1, 0L, false, Map.of(), "the container stopped during the test run: "
                + e.getMessage(), label + "#" + i, false, "");
            parsedRuns.put(dead, new ParsedLog(Map.of(), false));
            into.add(dead);
            return new Outcome(null);
          }
        }
        timings.put(label + ".tests", (System.nanoTime() - t0) / 1_000_000 - timings.get(label + ".container"));
        if (label.equals("parent")) {
          // A task's container is the parent state: its new disk is what a rollout will cost. Asking the engine
          // for the size walks the layer, so the other states skip it.
          diskBytes.set(runtime.writableLayerBytes(ctr));
        }
        return new Outcome(null);
      } finally {
        final long t1 = System.nanoTime();
        runtime.remove(ctr);
        timings.put(label + ".remove", (System.nanoTime() - t1) / 1_000_000);
      }
    }

    private boolean alive(final Container ctr) {
      try {
        return runtime.exec(ctr, ExecRequest.of("true", java.time.Duration.ofSeconds(10))).ok();
      } catch (RuntimeFailure e) {
        return false;
      }
    }

    private TestRun runOnce(final Container ctr, final RepositoryRecipe recipe, final String label) {
      final ExecResult r = TestRunMeters.record(MeterNames.STAGE_ENV_VALIDATION, runtime.exec(ctr,
          new ExecRequest(env.getTestCommand(), recipe.testTimeout(), "/testbed", image.env())));
      final ParsedLog log = TestLogParsers.get(recipe.logParser()).parse(r.output());
      final String infra = r.oomKilled() ? FailureKind.OOM.name() : r.timedOut() ? FailureKind.TIMEOUT.name() : "";
      final Map<String, String> statuses = new TreeMap<>();
      log.statuses().forEach((k, v) -> statuses.put(k, v.name()));
      final TestRun run = new TestRun(r.exitCode(), r.duration().toMillis(), r.timedOut(), statuses,
          tail(r.output()), label, log.suiteRan(), infra);
      parsedRuns.put(run, log);
      return run;
    }

    private List<TestRunOutcome> outcomes(final List<TestRun> runs) {
      final List<TestRunOutcome> out = new ArrayList<>();
      for (final TestRun r : runs) {
        out.add(new TestRunOutcome(parsedRuns.get(r), r.getExitCode()));
      }
      return out;
    }

    private List<ParsedLog> parsed(final List<TestRun> runs) {
      final List<ParsedLog> out = new ArrayList<>();
      for (final TestRun r : runs) {
        out.add(parsedRuns.get(r));
      }
      return out;
    }

    EnvValidation result(final ValidationStatus status, final String detail, final String infra) {
      return EnvValidation.newBuilder()
          .setTaskId(c.getTaskId()).setRepository(c.getRepository()).setCommitSha(c.getCommitSha())
          .setStatus(status).setDetail(detail).setEnvironment(env)
          .setFailToPass(verdict == null ? List.of() : verdict.outcomes().failToPass())
          .setPassToPass(verdict == null ? List.of() : verdict.outcomes().passToPass())
          .setFlakyTests(verdict == null ? List.of() : verdict.outcomes().flaky())
          .setExpectedOutput(verdict == null ? Map.of() : statusNames(verdict.outcomes().commitStatuses()))
          .setOldRuns(oldRuns).setNewRuns(newRuns).setValidatedAt(clock.instant())
          .setInfraFailure(infra).setCandidate(c).setHiddenTests(hidden).setGoldRuns(goldRuns)
          .setGoldPatchResolves(goldResolves).setRelevantFiles(relevant).setRelevantFilesChecked(relevantChecked)
          .setDiskBytes(diskBytes.get()).setEnvImageBuilt(image != null && image.built()).setTimingsMs(timings)
          .setWorker(settings.worker()).build();
    }

    private <T> java.util.concurrent.Future<T> submit(final java.util.concurrent.Callable<T> work) {
      if (!settings.parallelStates()) {
        final java.util.concurrent.FutureTask<T> now = new java.util.concurrent.FutureTask<>(work);
        now.run();
        return now;
      }
      final java.util.concurrent.Future<T> f = states.submit(work);
      started.add(f);
      return f;
    }

    /** The state's outcome; its failure rethrown as it was thrown. */
    private <T> T join(final java.util.concurrent.Future<T> f) {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RuntimeFailure(FailureKind.DAEMON, "interrupted while validating " + c.getTaskId(), e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    /** Waits for a state whose result is no longer needed, so that its container is gone when we return. */
    private void joinQuietly(final java.util.concurrent.Future<?> f) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        // Its outcome does not matter: the verdict was decided without it.
      }
    }

    private <T> T timed(final String phase, final java.util.function.Supplier<T> work) {
      final long start = System.nanoTime();
      try {
        return work.get();
      } finally {
        timings.put(phase, (System.nanoTime() - start) / 1_000_000);
      }
    }
  }

  private record Outcome(String patchError) {
  }

  private static Map<String, String> statusNames(final Map<String, io.r2estream.grading.TestStatus> m) {
    final Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.name()));
    return out;
  }

  private static String tail(final String s) {
    return s.length() <= LOG_TAIL_CHARS ? s : s.substring(s.length() - LOG_TAIL_CHARS);
  }
}
