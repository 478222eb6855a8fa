package io.r2estream.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestScore;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.ValidatedSampleTaskExtension;
import io.r2estream.grading.Grader;
import io.r2estream.grading.TestLogParsers;
import io.r2estream.grading.TestStatus;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.Patches;
import io.r2estream.streams.tasks.TaskInstances;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reward of candidate patches on a task made from the sample history (validated by {@link EnvValidator}, mapped
 * by {@link TaskInstances}), graded in fresh containers of the real engine: the gold patch resolves it; no change,
 * a patch that cheats by rewriting the hidden tests, and a patch that does not apply do not; a patch that hangs the
 * tests is an infrastructure timeout, never a failure.
 */
class TaskGraderIT {

  private static final String OWNER = "r2e-test-taskgrader";
  private static final String WRAP = "wrap: allow a line to fill the whole width";
  private static final String WRAP_FILE = "textkit/wrap.py";
  private static final String HIDDEN_FILE = "tests/test_wrap.py";
  /** A pytest hook that reports every failing test as passed: what a reward-hacking agent would add. */
  private static final String PASS_EVERYTHING = """
      import pytest


      @pytest.hookimpl(hookwrapper=True)
      def pytest_runtest_makereport(item, call):
          outcome = yield
          report = outcome.get_result()
          if report.failed:
              report.outcome = "passed"
      """;

  @RegisterExtension
  static final ValidatedSampleTaskExtension SAMPLE =
      new ValidatedSampleTaskExtension(OWNER, "textkit-grader", WRAP);

  private static TaskGrader grader(final TaskGrader.Settings settings) {
    return new TaskGrader(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
        settings);
  }

  @Test
  void theGoldPatchResolvesTheTask() {
    final TaskGrade grade = grader(TaskGrader.Settings.defaults())
        .grade(SAMPLE.task(), SAMPLE.task().getPatch(), SAMPLE.repo());

    assertEquals(GradeStatus.PASS, grade.status(), grade.detail());
    assertTrue(grade.resolved());
    assertTrue(grade.patchApplied());
    assertEquals("GIT_APPLY", grade.applyMethod());
    assertEquals(List.of(), grade.testFilesReset(), "the gold patch touches no test file");
    assertEquals(0, grade.exitCode());
    assertTrue(grade.suiteRan());
    assertEquals("", grade.infraFailure());
    assertEquals(SAMPLE.task().getFAILTOPASS().size() + SAMPLE.task().getPASSTOPASS().size(), grade.tests().size());
    SAMPLE.task().getFAILTOPASS().forEach(t -> assertEquals(TestStatus.PASSED, grade.statusOf(t), t));
    final TestScore score = grade.toTestScore(SAMPLE.task().getInstanceId() + "/gold/0", Instant.now());
    assertEquals(GradeStatus.PASS, score.getStatus());
    assertEquals(1.0, score.getHiddenReward());
    assertEquals(SAMPLE.task().getPASSTOPASS().size(), score.getRegressionTotal());
    assertEquals(SAMPLE.task().getPASSTOPASS().size(), score.getRegressionPassed());
    assertEquals(grade.tests().size(), score.getTestResults().size());
    assertTrue(score.getTestResults().values().stream().allMatch("PASSED"::equals), score.getTestResults().toString());
    assertEquals(0, SAMPLE.runtime().ownContainerIds().size(), "the grading container was removed");
  }

  @Test
  void flakyTestsAreLeftOutOfTheGrade() {
    final String flaky = HIDDEN_FILE + "::test_that_sometimes_fails";
    final List<String> f2p = new java.util.ArrayList<>(SAMPLE.task().getFAILTOPASS());
    f2p.add(flaky);
    final TaskInstance withFlaky = TaskInstance.newBuilder(SAMPLE.task()).setFAILTOPASS(f2p)
        .setFlakyTests(List.of(flaky)).build();

    final TaskGrade grade = grader(TaskGrader.Settings.defaults())
        .grade(withFlaky, SAMPLE.task().getPatch(), SAMPLE.repo());

    assertEquals(GradeStatus.PASS, grade.status(), "a flaky test absent from the run does not count: "
        + grade.detail());
    assertTrue(grade.tests().stream().noneMatch(t -> t.id().equals(flaky)), grade.tests().toString());
  }

  @Test
  void aTaskWithNoTestToGradeAgainstIsAnErrorNotAFailure() {
    final TaskInstance untested = TaskInstance.newBuilder(SAMPLE.task()).setFAILTOPASS(List.of())
        .setPASSTOPASS(List.of()).build();

    final TaskGrade grade = grader(TaskGrader.Settings.defaults())
        .grade(untested, SAMPLE.task().getPatch(), SAMPLE.repo());

    assertEquals(GradeStatus.ERROR, grade.status(), grade.detail());
    assertTrue(grade.detail().contains("no FAIL_TO_PASS or PASS_TO_PASS"), grade.detail());
    assertNull(grade.toTestScore("c", Instant.now()).getHiddenReward());
  }

  @Test
  void anEmptyPatchLeavesTheFailToPassTestsFailing() {
    final TaskGrade grade = grader(TaskGrader.Settings.defaults()).grade(SAMPLE.task(), "", SAMPLE.repo());

    assertEquals(GradeStatus.FAIL, grade.status(), grade.detail());
    assertFalse(grade.resolved());
    assertTrue(grade.patchApplied());
    assertEquals(TaskGrade.EMPTY_PATCH, grade.applyMethod());
    assertTrue(grade.suiteRan(), "the suite ran: the failure is the tests', not the runner's");
    assertTrue(grade.exitCode() != 0);
    SAMPLE.task().getFAILTOPASS().forEach(t -> assertEquals(TestStatus.FAILED, grade.statusOf(t), t));
    SAMPLE.task().getPASSTOPASS().forEach(t -> assertEquals(TestStatus.PASSED, grade.statusOf(t), t));
    assertEquals(0.0, grade.toTestScore("c", Instant.now()).getHiddenReward());
  }

  @Test
  void aPatchThatRewritesTheHiddenTestsIsGradedOnTheRealOnes() {
    // Without the reset, the hook alone would pass the SAMPLE.task(): proven here by applying it with the hidden tests.
    final String hookOnly = candidate(Map.of("tests/conftest.py", PASS_EVERYTHING));
    assertTrue(resolvesWithoutReset(hookOnly), "the conftest hook is a working cheat");
    final StringBuilder trivial = new StringBuilder();
    SAMPLE.task().getFAILTOPASS().forEach(t -> trivial.append("def ").append(t.substring(t.indexOf("::") + 2))
        .append("():\n    assert True\n\n\n"));
    final String cheat = candidate(Map.of("tests/conftest.py", PASS_EVERYTHING, HIDDEN_FILE, trivial.toString()));

    final TaskGrade grade = grader(TaskGrader.Settings.defaults()).grade(SAMPLE.task(), cheat, SAMPLE.repo());

    assertEquals(GradeStatus.FAIL, grade.status(), grade.detail());
    assertFalse(grade.resolved());
    assertTrue(grade.patchApplied());
    assertEquals(List.of("tests/conftest.py", HIDDEN_FILE), grade.testFilesReset().stream().sorted().toList());
    assertTrue(grade.suiteRan());
    SAMPLE.task().getFAILTOPASS().forEach(t -> assertEquals(TestStatus.FAILED, grade.statusOf(t), t));
  }

  @Test
  void aPatchThatDoesNotApplyFailsWithTheReason() {
    final String stale = "diff --git a/" + WRAP_FILE + " b/" + WRAP_FILE + "\n--- a/" + WRAP_FILE + "\n+++ b/"
        + WRAP_FILE + "\n@@ -1,3 +1,3 @@\n-\"\"\"A docstring this file never had.\"\"\"\n+\"\"\"Nor this one.\"\"\"\n"
        + " \n from typing import List\n";

    final TaskGrade grade = grader(TaskGrader.Settings.defaults()).grade(SAMPLE.task(), stale, SAMPLE.repo());

    assertEquals(GradeStatus.FAIL, grade.status(), grade.detail());
    assertFalse(grade.patchApplied());
    assertEquals("", grade.applyMethod());
    assertTrue(grade.applyError().contains("git apply") && grade.applyError().contains("patch"),
        grade.applyError());
    assertTrue(grade.detail().contains("does not apply"), grade.detail());
    assertEquals(-1, grade.exitCode(), "the tests did not run");
    final TestScore score = grade.toTestScore("c", Instant.now());
    assertEquals(0.0, score.getHiddenReward());
    assertFalse(score.getPatchApplied());
    assertEquals(grade.applyError(), score.getPatchApplyError());
  }

  @Test
  void aPatchThatHangsTheTestsIsAnInfrastructureTimeoutNotAFailure() {
    final String base = new String(
        SAMPLE.repo().files(SAMPLE.task().getBaseCommit(), List.of(WRAP_FILE)).get(WRAP_FILE),
        StandardCharsets.UTF_8);
    final String hang = candidate(Map.of(WRAP_FILE, base.replace("    if width < 1:",
        "    while True:\n        pass\n    if width < 1:")));
    final Duration limit = Duration.ofSeconds(5);

    final long start = System.nanoTime();
    final TaskGrade grade = grader(TaskGrader.Settings.defaults().withTestTimeout(limit))
        .grade(SAMPLE.task(), hang, SAMPLE.repo());
    final Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(GradeStatus.INFRA_ERROR, grade.status(), grade.detail());
    assertEquals("TIMEOUT", grade.infraFailure());
    assertFalse(grade.resolved());
    assertTrue(grade.patchApplied());
    assertTrue(grade.testDuration().compareTo(limit) >= 0, "ran " + grade.testDuration());
    assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "the grade came within the limit, took " + took);
    final TestScore score = grade.toTestScore("c", Instant.now());
    assertEquals(GradeStatus.INFRA_ERROR, score.getStatus());
    assertNull(score.getHiddenReward(), "an infrastructure failure is no reward of 0");
    assertEquals("TIMEOUT", score.getInfraFailure());
  }

  /** A candidate as an agent makes it: files written in a SAMPLE.task() container, diffed against the base commit. */
  private static String candidate(final Map<String, String> files) {
    final Container ctr = SAMPLE.materializer().start(image(), SAMPLE.repo(), SAMPLE.task().getBaseCommit(),
        "r2e-cand-", Map.of());
    try {
      final Map<String, byte[]> bytes = new java.util.HashMap<>();
      files.forEach((p, s) -> bytes.put(p, s.getBytes(StandardCharsets.UTF_8)));
      SAMPLE.runtime().copyIn(ctr, "/testbed", bytes);
      return new Patches(SAMPLE.runtime()).diff(ctr, SAMPLE.task().getBaseCommit());
    } finally {
      SAMPLE.runtime().remove(ctr);
    }
  }

  /** Whether {@code patch} plus the hidden tests, with no reset in between, resolves the SAMPLE.task(). */
  private static boolean resolvesWithoutReset(final String patch) {
    final Container ctr = SAMPLE.materializer().start(image(), SAMPLE.repo(), SAMPLE.task().getBaseCommit(),
        "r2e-cheat-", Map.of());
    try {
      final Patches patches = new Patches(SAMPLE.runtime());
      assertTrue(patches.apply(ctr, patch).applied());
      assertTrue(patches.apply(ctr, SAMPLE.task().getTestPatch()).applied());
      final ExecResult r = SAMPLE.runtime().exec(ctr, new ExecRequest(SAMPLE.task().getEnvironment().getTestCommand(),
          Duration.ofMinutes(2), "/testbed", image().env()));
      return Grader.grade(TestLogParsers.get(SAMPLE.task().getEnvironment().getLogParser()).parse(r.output()),
          SAMPLE.task().getFAILTOPASS(), SAMPLE.task().getPASSTOPASS()).resolved();
    } finally {
      SAMPLE.runtime().remove(ctr);
    }
  }

  private static EnvImage image() {
    return SAMPLE.images().forTask(SAMPLE.task(), SAMPLE.repo(),
        RecipeRegistry.defaults().forRepository(SAMPLE.task().getRepo()));
  }
}
