package io.r2estream.verifier.execution;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.PatchFiles;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.grading.ParsedLog;
import io.r2estream.grading.TestLogParsers;
import io.r2estream.grading.TestStatus;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.recipes.RepositoryRecipe;
import io.r2estream.reward.TaskGrade;
import io.r2estream.reward.TaskGrader;
import io.r2estream.reward.TestFileReset;
import io.r2estream.metrics.MeterNames;
import io.r2estream.runtime.ApplyOutcome;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.Patches;
import io.r2estream.runtime.RuntimeFailure;
import io.r2estream.runtime.TestRunMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The execution-based verifier (reference 5.1): scores one candidate patch of a task by running tests in fresh
 * containers of the task's env image at the base commit, never the hidden tests.
 *
 * <p><b>Regression score</b>: the candidate applied, the test files it touched reset to the base commit
 * ({@link TestFileReset}, as the hidden-test grader does), then the recipe's test command over the repository's
 * existing test files: those present at the base commit whose name pytest collects ({@code test_*.py},
 * {@code *_test.py}), minus the task's hidden test files (its {@code hidden_tests}, the files its
 * {@code test_patch} touches and the files of its FAIL_TO_PASS ids), so no hidden test ever runs, not even the base
 * version of a hidden file. The score is the number of tests the task's log parser reports PASSED. R2E-Gym runs a
 * per-task regression script instead; we have no such script for SWE-GEN tasks, and the existing tests are what it
 * approximates.
 *
 * <p><b>Reproduction score</b>, per generated test patch (ordered by testgen id): a fresh container, the test patch
 * applied, then the candidate (when not empty), then {@code python test_issue.py} with the recipe's environment
 * and time limit; the score is the number of lines reporting "Issue resolved" ({@link IssueVerdicts}). An empty test
 * patch scores 0 without a container.
 *
 * <p>The {@link TestScore}: {@code PASS} when everything ran (the counts are the verdict), {@code FAIL} when the
 * candidate does not apply at the base commit (every count 0, no reproduction container started),
 * {@code INFRA_ERROR} with its label when any run failed for the platform (engine, time limit, memory, image,
 * repository): never a 0 that looks like a verdict. {@code test_score} is {@code regression_passed}: the hybrid
 * ranking reads {@code regression_passed} and {@code reproduction_scores} themselves.
 */
public final class ExecutionVerifier {

  /** The single file a generated test patch adds, run from the repository root. */
  public static final String TEST_FILE = "test_issue.py";
  /** The reproduction test's command. */
  public static final String TEST_COMMAND = "python " + TEST_FILE;
  /** Label naming the task on the verifier's containers. */
  public static final String LABEL_TASK = TaskGrader.LABEL_TASK;
  private static final int TAIL_CHARS = 4000;

  /**
   * @param testTimeout         time limit of the regression run, or null for the recipe's
   * @param reproductionTimeout time limit of one reproduction test, or null for the recipe's test time limit
   * @param namePrefix          prefix of the containers' names
   */
  public record Settings(Duration testTimeout, Duration reproductionTimeout, String namePrefix) {

    public Settings {
      for (final Duration d : new Duration[] {testTimeout, reproductionTimeout}) {
        if (d != null && (d.isNegative() || d.isZero())) {
          throw new IllegalArgumentException("verifier time limits must be positive, got " + d);
        }
      }
    }

    /** The recipe's time limits, containers named {@code r2e-verify-*}. */
    public static Settings defaults() {
      return new Settings(null, null, "r2e-verify-");
    }
  }

  private final ContainerRuntime runtime;
  private final EnvImages images;
  private final TaskMaterializer materializer;
  private final RecipeRegistry recipes;
  private final Settings settings;
  private final Clock clock;

  public ExecutionVerifier(final ContainerRuntime runtime, final EnvImages images, final TaskMaterializer materializer,
      final RecipeRegistry recipes, final Settings settings, final Clock clock) {
    this.runtime = runtime;
    this.images = images;
    this.materializer = materializer;
    this.recipes = recipes;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The test score of {@code candidatePatch} (a diff against the base commit; empty = no change) on {@code task},
   * with {@code testPatches} of that task (any order; scored by testgen id). Never throws for a problem of the
   * candidate, the task or the platform.
   */
  public TestScore score(final TaskInstance task, final String candidateId, final String candidatePatch,
      final List<TestGenPatch> testPatches, final HostRepository repo) {
    final List<TestGenPatch> ordered = testPatches.stream()
        .sorted(Comparator.comparing(TestGenPatch::getTestgenId)).toList();
    final RegressionRun regression = regression(task, candidatePatch, repo);
    final List<ReproductionRun> reproduction = new ArrayList<>();
    for (final TestGenPatch t : ordered) {
      reproduction.add(regression.outcome() == RegressionRun.Outcome.CANDIDATE_DOES_NOT_APPLY
          ? new ReproductionRun(t.getTestgenId(), ReproductionRun.Outcome.CANDIDATE_DOES_NOT_APPLY,
              new IssueVerdicts(0, 0, 0), -1, "", "the candidate does not apply at the base commit", "")
          : reproduction(task, candidatePatch, t, repo));
    }
    return toScore(task, candidateId, regression, reproduction);
  }

  private TestScore toScore(final TaskInstance task, final String candidateId, final RegressionRun regression,
      final List<ReproductionRun> reproduction) {
    final Map<String, String> results = new java.util.TreeMap<>();
    regression.results().forEach((id, s) -> results.put(id, s.name()));
    final ReproductionRun infra = reproduction.stream()
        .filter(r -> r.outcome() == ReproductionRun.Outcome.INFRA_ERROR).findFirst().orElse(null);
    final GradeStatus status;
    final String infraFailure;
    final String detail;
    if (regression.outcome() == RegressionRun.Outcome.INFRA_ERROR) {
      status = GradeStatus.INFRA_ERROR;
      infraFailure = regression.infraFailure();
      detail = "regression run: " + regression.detail();
    } else if (infra != null) {
      status = GradeStatus.INFRA_ERROR;
      infraFailure = infra.infraFailure();
      detail = "reproduction test " + infra.testgenId() + ": " + infra.detail();
    } else if (regression.outcome() == RegressionRun.Outcome.CANDIDATE_DOES_NOT_APPLY) {
      status = GradeStatus.FAIL;
      infraFailure = "";
      detail = regression.detail();
    } else {
      status = GradeStatus.PASS;
      infraFailure = "";
      detail = regression.detail() + "; " + reproduction.size() + " reproduction tests, \"Issue resolved\" lines "
          + reproduction.stream().map(r -> String.valueOf((int) r.score())).toList();
    }
    return TestScore.newBuilder()
        .setCandidateId(candidateId).setTaskId(task.getInstanceId()).setStatus(status)
        .setRegressionPassed(regression.passed()).setRegressionTotal(regression.total())
        .setReproductionScores(reproduction.stream().map(ReproductionRun::score).toList())
        .setTestgenIds(reproduction.stream().map(ReproductionRun::testgenId).toList())
        .setReproductionOutcomes(reproduction.stream().map(r -> r.outcome().name()).toList())
        .setRegressionFiles(regression.files())
        .setTestScore(regression.passed()).setTestResults(results).setScoredAt(clock.instant())
        .setInfraFailure(infraFailure).setDetail(detail).setPatchApplied(regression.patchApplied())
        .setPatchApplyMethod(regression.applyMethod()).setPatchApplyError(regression.applyError())
        .setTestFilesReset(regression.testFilesReset()).setExitCode(regression.exitCode())
        .setSuiteRan(regression.suiteRan()).setDurationMs(regression.durationMs())
        .build();
  }

  /** The regression run of {@code candidatePatch}, in a fresh container. */
  public RegressionRun regression(final TaskInstance task, final String candidatePatch, final HostRepository repo) {
    final String patch = candidatePatch == null ? "" : candidatePatch;
    try {
      final RepositoryRecipe recipe = recipes.forRepository(task.getRepo());
      final List<String> files = regressionFiles(task, repo, recipe);
      final EnvImage image = images.forTask(task, repo, recipe);
      final Container ctr = materializer.start(image, repo, task.getBaseCommit(), settings.namePrefix(),
          Map.of(LABEL_TASK, task.getInstanceId()));
      try {
        final String method;
        if (patch.isBlank()) {
          method = TaskGrade.EMPTY_PATCH;
        } else {
          final ApplyOutcome applied = new Patches(runtime).apply(ctr, patch);
          if (!applied.applied()) {
            return new RegressionRun(RegressionRun.Outcome.CANDIDATE_DOES_NOT_APPLY, false, "", applied.error(),
                List.of(), files, Map.of(), -1, false, 0, "", "the candidate patch does not apply at the base commit "
                + task.getBaseCommit() + ": " + applied.error());
          }
          method = applied.method().name();
        }
        final List<String> reset = TestFileReset.reset(runtime, ctr, repo, task.getBaseCommit(),
            task.getEnvironment().getWorkdir(), recipe::isTestFile);
        if (files.isEmpty()) {
          return new RegressionRun(RegressionRun.Outcome.RAN, true, method, "", reset, files, Map.of(), -1, false, 0,
              "", "the base commit has no existing test file outside the hidden ones: regression 0 of 0");
        }
        final Duration limit = settings.testTimeout() != null ? settings.testTimeout() : recipe.testTimeout();
        final ExecResult r = TestRunMeters.record(MeterNames.STAGE_VERIFIER_REGRESSION, runtime.exec(ctr,
            new ExecRequest(recipe.testCommand(files), limit, task.getEnvironment().getWorkdir(), image.env())));
        if (r.oomKilled() || r.timedOut()) {
          final FailureKind kind = r.oomKilled() ? FailureKind.OOM : FailureKind.TIMEOUT;
          return new RegressionRun(RegressionRun.Outcome.INFRA_ERROR, true, method, "", reset, files, Map.of(),
              r.exitCode(), false, r.duration().toMillis(), kind.name(), kind == FailureKind.OOM
              ? "the existing tests ran out of memory" : "the existing tests did not finish within " + limit);
        }
        final ParsedLog log = TestLogParsers.get(task.getEnvironment().getLogParser()).parse(r.output());
        final Set<String> hidden = hiddenFiles(task);
        final Set<String> failToPass = Set.copyOf(task.getFAILTOPASS());
        final Map<String, TestStatus> results = new LinkedHashMap<>();
        // Defensive: a hidden test can only be reported if a kept file imports it; it never counts.
        log.statuses().forEach((id, s) -> {
          if (!failToPass.contains(id) && !hidden.contains(fileOf(id))) {
            results.put(id, s);
          }
        });
        final long passed = results.values().stream().filter(s -> s == TestStatus.PASSED).count();
        return new RegressionRun(RegressionRun.Outcome.RAN, true, method, "", reset, files, results, r.exitCode(),
            log.suiteRan(), r.duration().toMillis(), "", passed + " of " + results.size() + " existing tests in "
            + files.size() + " files pass" + (log.suiteRan() ? "" : " (the log has no runner summary, exit "
            + r.exitCode() + ")"));
      } finally {
        runtime.remove(ctr);
      }
    } catch (EnvImages.InstallFailed e) {
      return regressionInfra(FailureKind.IMAGE_BUILD, "the env image had to be rebuilt and its install failed: "
          + e.getMessage());
    } catch (RuntimeFailure e) {
      return regressionInfra(e.kind(), e.getMessage());
    } catch (RuntimeException e) {
      return regressionInfra(FailureKind.DAEMON, "the regression run failed unexpectedly: " + e);
    }
  }

  private static RegressionRun regressionInfra(final FailureKind kind, final String why) {
    return new RegressionRun(RegressionRun.Outcome.INFRA_ERROR, false, "", "", List.of(), List.of(), Map.of(), -1,
        false, 0, kind.name(), why);
  }

  /** The reproduction run of one generated test patch over {@code candidatePatch}, in a fresh container. */
  public ReproductionRun reproduction(final TaskInstance task, final String candidatePatch,
      final TestGenPatch testPatch, final HostRepository repo) {
    final String id = testPatch.getTestgenId();
    if (testPatch.getPatch().isBlank()) {
      return new ReproductionRun(id, ReproductionRun.Outcome.EMPTY_TEST_PATCH, new IssueVerdicts(0, 0, 0), -1, "",
          "the test patch is empty", "");
    }
    try {
      final RepositoryRecipe recipe = recipes.forRepository(task.getRepo());
      final EnvImage image = images.forTask(task, repo, recipe);
      final Container ctr = materializer.start(image, repo, task.getBaseCommit(), settings.namePrefix(),
          Map.of(LABEL_TASK, task.getInstanceId()));
      try {
        final Patches patches = new Patches(runtime);
        final ApplyOutcome test = patches.apply(ctr, testPatch.getPatch());
        if (!test.applied()) {
          return new ReproductionRun(id, ReproductionRun.Outcome.TEST_PATCH_DOES_NOT_APPLY,
              new IssueVerdicts(0, 0, 0), -1, "", "the test patch does not apply at the base commit: " + test.error(),
              "");
        }
        if (candidatePatch != null && !candidatePatch.isBlank()) {
          final ApplyOutcome candidate = patches.apply(ctr, candidatePatch);
          if (!candidate.applied()) {
            return new ReproductionRun(id, ReproductionRun.Outcome.CANDIDATE_DOES_NOT_APPLY,
                new IssueVerdicts(0, 0, 0), -1, "", "the candidate does not apply over the test patch: "
                + candidate.error(), "");
          }
        }
        final Duration limit = settings.reproductionTimeout() != null ? settings.reproductionTimeout()
            : recipe.testTimeout();
        final ExecResult r = TestRunMeters.record(MeterNames.STAGE_VERIFIER_REPRODUCTION, runtime.exec(ctr,
            new ExecRequest(TEST_COMMAND, limit, task.getEnvironment().getWorkdir(), image.env())));
        if (r.oomKilled() || r.timedOut()) {
          final FailureKind kind = r.oomKilled() ? FailureKind.OOM : FailureKind.TIMEOUT;
          return new ReproductionRun(id, ReproductionRun.Outcome.INFRA_ERROR, new IssueVerdicts(0, 0, 0),
              r.exitCode(), kind.name(), kind == FailureKind.OOM ? TEST_FILE + " ran out of memory"
              : TEST_FILE + " did not finish within " + limit, tail(r.output()));
        }
        final IssueVerdicts v = IssueVerdicts.of(r.output());
        return new ReproductionRun(id, ReproductionRun.Outcome.SCORED, v, r.exitCode(), "", v.resolved()
            + " resolved, " + v.reproduced() + " reproduced, " + v.other() + " other (exit " + r.exitCode() + ")",
            tail(r.output()));
      } finally {
        runtime.remove(ctr);
      }
    } catch (EnvImages.InstallFailed e) {
      return reproductionInfra(id, FailureKind.IMAGE_BUILD, "the env image had to be rebuilt and its install"
          + " failed: " + e.getMessage());
    } catch (RuntimeFailure e) {
      return reproductionInfra(id, e.kind(), e.getMessage());
    } catch (RuntimeException e) {
      return reproductionInfra(id, FailureKind.DAEMON, "the reproduction run failed unexpectedly: " + e);
    }
  }

  private static ReproductionRun reproductionInfra(final String id, final FailureKind kind, final String why) {
    return new ReproductionRun(id, ReproductionRun.Outcome.INFRA_ERROR, new IssueVerdicts(0, 0, 0), -1, kind.name(),
        why, "");
  }

  /**
   * The existing test files the regression run runs: at the base commit, test files by the recipe, named as pytest
   * collects them, the hidden ones left out; sorted.
   */
  public static List<String> regressionFiles(final TaskInstance task, final HostRepository repo,
      final RepositoryRecipe recipe) {
    final Set<String> hidden = hiddenFiles(task);
    final Set<String> out = new TreeSet<>();
    for (final String p : repo.paths(task.getBaseCommit())) {
      final String name = p.substring(p.lastIndexOf('/') + 1);
      if (recipe.isTestFile(p) && (name.startsWith("test_") && name.endsWith(".py") || name.endsWith("_test.py"))
          && !hidden.contains(p) && !name.equals(TEST_FILE)) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  /** The task's hidden test files: its hidden_tests, the files of its test patch and of its FAIL_TO_PASS ids. */
  static Set<String> hiddenFiles(final TaskInstance task) {
    final Set<String> hidden = new TreeSet<>(task.getHiddenTests());
    PatchFiles.sections(task.getTestPatch()).forEach(s -> hidden.add(PatchFiles.path(s)));
    task.getFAILTOPASS().forEach(id -> hidden.add(fileOf(id)));
    return hidden;
  }

  /** The file of a pytest id ({@code tests/test_x.py::test_a} → {@code tests/test_x.py}). */
  static String fileOf(final String testId) {
    final int sep = testId.indexOf("::");
    return sep < 0 ? testId : testId.substring(0, sep);
  }

  private static String tail(final String s) {
    return s.length() <= TAIL_CHARS ? s : s.substring(s.length() - TAIL_CHARS);
  }
}
