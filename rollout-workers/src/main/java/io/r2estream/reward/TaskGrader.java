package io.r2estream.reward;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TaskInstance;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.PatchFiles;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.grading.Grader;
import io.r2estream.grading.ParsedLog;
import io.r2estream.grading.TestLogParsers;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.recipes.RepositoryRecipe;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Grades a candidate patch on a task's hidden tests, in a fresh container that only grading uses: the task's env
 * image materialised at the base commit, the candidate applied ({@link Patches}: git apply, 3-way, fuzz), every
 * test file the candidate touched put back as it was at the base commit (new ones removed), then the task's
 * {@code test_patch} applied and the test command run once under the recipe's time limit. The log is parsed with
 * the task's parser and graded against FAIL_TO_PASS and PASS_TO_PASS with the flaky tests left out.
 *
 * <p>The reset is what keeps the reward honest: a candidate that edits or adds tests (a {@code conftest.py} hook
 * that passes everything, a hidden test rewritten to {@code assert True}) is graded on the real tests. Files the
 * test patch touches are reset too, so the hidden tests always install over the candidate's code.
 *
 * <p>Platform failures (engine, time limit, out of memory, missing image, unreadable repository) end as
 * {@code INFRA_ERROR} with their label and are never counted as a failure of the candidate.
 */
public final class TaskGrader {

  /**
   * @param testTimeout time limit of the test command, or null for the recipe's
   * @param namePrefix  prefix of the grading containers' names
   */
  public record Settings(Duration testTimeout, String namePrefix) {

    public Settings {
      if (testTimeout != null && (testTimeout.isNegative() || testTimeout.isZero())) {
        throw new IllegalArgumentException("test timeout must be positive, got " + testTimeout);
      }
    }

    /** The recipe's time limit, containers named {@code r2e-grade-*}. */
    public static Settings defaults() {
      return new Settings(null, "r2e-grade-");
    }

    public Settings withTestTimeout(final Duration timeout) {
      return new Settings(timeout, namePrefix);
    }
  }

  /** Label naming the task on grading containers. */
  public static final String LABEL_TASK = "io.r2estream.task";
  private static final int LOG_TAIL_CHARS = 8000;

  private final ContainerRuntime runtime;
  private final EnvImages images;
  private final TaskMaterializer materializer;
  private final RecipeRegistry recipes;
  private final Settings settings;

  public TaskGrader(final ContainerRuntime runtime, final EnvImages images, final TaskMaterializer materializer,
      final RecipeRegistry recipes, final Settings settings) {
    this.runtime = runtime;
    this.images = images;
    this.materializer = materializer;
    this.recipes = recipes;
    this.settings = settings;
  }

  /**
   * Grades {@code candidatePatch} (a unified diff against the base commit; empty = no change) on {@code task}.
   * The task names its repository only by id, so the caller opens it ({@code repo}). Never throws for a problem of
   * the candidate, the task or the platform: every outcome is a grade with its reason.
   */
  public TaskGrade grade(final TaskInstance task, final String candidatePatch, final HostRepository repo) {
    final Job job = new Job(task, candidatePatch == null ? "" : candidatePatch);
    if (task.getFAILTOPASS().isEmpty() && task.getPASSTOPASS().isEmpty()) {
      // Grader would call this unresolved: a verdict on the candidate that the task cannot support.
      return job.untested();
    }
    try {
      return job.run(repo);
    } catch (EnvImages.InstallFailed e) {
      return job.infra(FailureKind.IMAGE_BUILD, "the env image had to be rebuilt and its install failed: "
          + e.getMessage());
    } catch (RuntimeFailure e) {
      return job.infra(e.kind(), e.getMessage());
    } catch (RuntimeException e) {
      return job.infra(FailureKind.DAEMON, "grading failed unexpectedly: " + e);
    }
  }

  /** One grading's state; fields fill in as its phases finish. */
  private final class Job {
    private final TaskInstance task;
    private final String patch;
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private boolean applied;
    private String applyMethod = "";
    private String applyError = "";
    private List<String> reset = List.of();

    Job(final TaskInstance task, final String patch) {
      this.task = task;
      this.patch = patch;
    }

    TaskGrade run(final HostRepository repo) {
      final RepositoryRecipe recipe = recipes.forRepository(task.getRepo());
      final EnvImage image = timed("env_image", () -> images.forTask(task, repo, recipe));
      final Container ctr = timed("container", () -> materializer.start(image, repo, task.getBaseCommit(),
          settings.namePrefix(), Map.of(LABEL_TASK, task.getInstanceId())));
      try {
        final Patches patches = new Patches(runtime);
        if (!timed("apply", () -> applyCandidate(patches, ctr))) {
          return grade(GradeStatus.FAIL, false, "the candidate patch does not apply at the base commit "
              + task.getBaseCommit() + ": " + applyError, List.of(), null, false, "");
        }
        reset = timed("reset", () -> resetTestFiles(ctr, repo, recipe));
        if (!task.getTestPatch().isBlank()) {
          final ApplyOutcome hidden = timed("hidden_tests", () -> patches.apply(ctr, task.getTestPatch()));
          if (!hidden.applied()) {
            return grade(GradeStatus.ERROR, false, "the task's test patch does not apply over the candidate after"
                + " its test files were reset: " + hidden.error(), List.of(), null, false, "");
          }
        }
        return runTests(ctr, image, recipe);
      } finally {
        runtime.remove(ctr);
      }
    }

    private boolean applyCandidate(final Patches patches, final Container ctr) {
      if (patch.isBlank()) {
        applied = true;
        applyMethod = TaskGrade.EMPTY_PATCH;
        return true;
      }
      final ApplyOutcome outcome = patches.apply(ctr, patch);
      applied = outcome.applied();
      applyMethod = outcome.applied() ? outcome.method().name() : "";
      applyError = outcome.error();
      return applied;
    }

    /**
     * Restores, as they are at the base commit, the files the candidate changed that are test files by the
     * recipe or that the test patch touches; removes those it added ({@link TestFileReset}).
     */
    private List<String> resetTestFiles(final Container ctr, final HostRepository repo,
        final RepositoryRecipe recipe) {
      final Set<String> hiddenPaths = new LinkedHashSet<>();
      PatchFiles.sections(task.getTestPatch()).forEach(s -> hiddenPaths.add(PatchFiles.path(s)));
      return TestFileReset.reset(runtime, ctr, repo, task.getBaseCommit(), task.getEnvironment().getWorkdir(),
          p -> recipe.isTestFile(p) || hiddenPaths.contains(p));
    }

    private TaskGrade runTests(final Container ctr, final EnvImage image, final RepositoryRecipe recipe) {
      final Duration limit = settings.testTimeout() != null ? settings.testTimeout() : recipe.testTimeout();
      final ExecResult r = timed("tests", () -> TestRunMeters.record(MeterNames.STAGE_ROLLOUT_GRADING,
          runtime.exec(ctr, new ExecRequest(task.getEnvironment().getTestCommand(), limit,
              task.getEnvironment().getWorkdir(), image.env()))));
      if (r.oomKilled() || r.timedOut()) {
        final FailureKind kind = r.oomKilled() ? FailureKind.OOM : FailureKind.TIMEOUT;
        return grade(GradeStatus.INFRA_ERROR, false, kind == FailureKind.OOM
            ? "the test command ran out of memory" : "the test command did not finish within " + limit,
            List.of(), r, false, kind.name());
      }
      final ParsedLog log = TestLogParsers.get(task.getEnvironment().getLogParser()).parse(r.output());
      final Set<String> flaky = Set.copyOf(task.getFlakyTests());
      final Grader.Grade g = Grader.grade(log, without(task.getFAILTOPASS(), flaky),
          without(task.getPASSTOPASS(), flaky));
      final String why;
      if (g.resolved()) {
        why = "every FAIL_TO_PASS and PASS_TO_PASS test passes (" + g.tests().size() + " graded)";
      } else if (!log.suiteRan()) {
        why = "the test log has no runner summary: the suite did not run to its end (exit " + r.exitCode() + ")";
      } else {
        why = g.notPassing().size() + " of " + g.tests().size() + " graded tests do not pass, first "
            + g.notPassing().get(0).id() + " (" + g.notPassing().get(0).status() + ")";
      }
      return grade(g.resolved() ? GradeStatus.PASS : GradeStatus.FAIL, g.resolved(), why, g.tests(), r,
          log.suiteRan(), "");
    }

    TaskGrade untested() {
      return grade(GradeStatus.ERROR, false, "task " + task.getInstanceId() + " lists no FAIL_TO_PASS or"
          + " PASS_TO_PASS test to grade against", List.of(), null, false, "");
    }

    TaskGrade infra(final FailureKind kind, final String why) {
      return grade(GradeStatus.INFRA_ERROR, false, why, List.of(), null, false, kind.name());
    }

    private TaskGrade grade(final GradeStatus status, final boolean resolved, final String why,
        final List<Grader.TestGrade> tests, final ExecResult run, final boolean suiteRan, final String infra) {
      return new TaskGrade(task.getInstanceId(), status, resolved, why, applied, applyMethod, applyError, reset,
          tests, run == null ? -1 : run.exitCode(), suiteRan, run == null ? Duration.ZERO : run.duration(), infra,
          run == null ? "" : tail(run.output()), timings);
    }

    private <T> T timed(final String phase, final Supplier<T> work) {
      final long start = System.nanoTime();
      try {
        return work.get();
      } finally {
        timings.put(phase, (System.nanoTime() - start) / 1_000_000);
      }
    }
  }

  private static List<String> without(final List<String> tests, final Set<String> flaky) {
    return tests.stream().filter(t -> !flaky.contains(t)).toList();
  }

  private static String tail(final String s) {
    return s.length() <= LOG_TAIL_CHARS ? s : s.substring(s.length() - LOG_TAIL_CHARS);
  }
}
