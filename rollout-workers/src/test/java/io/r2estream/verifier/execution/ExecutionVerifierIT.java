package io.r2estream.verifier.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.envbuilder.ValidatedSampleTaskExtension;
import io.r2estream.recipes.RecipeRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The execution-based verifier on the sample project's wrap task, in real containers: the regression run covers the
 * existing test files and never the hidden one, the gold patch keeps every existing test passing, a reproduction
 * test that reports "Issue resolved" only when fixed scores the gold patch above the empty one, an empty test patch
 * scores 0, a patch that does not apply is a FAIL, and a reproduction test that overruns its time limit is an
 * INFRA_ERROR rather than a score.
 */
class ExecutionVerifierIT {

  private static final String OWNER = "r2e-test-ebverifier";
  private static final String WRAP = "wrap: allow a line to fill the whole width";
  private static final String HIDDEN_FILE = "tests/test_wrap.py";
  /** The test files of the sample project at the wrap task's base commit, tests/test_wrap.py (hidden) left out. */
  private static final List<String> EXISTING = List.of("tests/test_case.py", "tests/test_ini.py",
      "tests/test_slugify.py", "tests/test_tokenizer.py");

  @RegisterExtension
  static final ValidatedSampleTaskExtension SAMPLE =
      new ValidatedSampleTaskExtension(OWNER, "textkit-ebverifier", WRAP);

  private static ExecutionVerifier verifier(final ExecutionVerifier.Settings settings) {
    return new ExecutionVerifier(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
        settings, Clock.systemUTC());
  }

  @Test
  void theGoldPatchKeepsTheExistingTestsAndResolvesTheReproductionTestWhereTheEmptyPatchDoesNot() {
    assertTrue(SAMPLE.task().getTestPatch().contains("b/" + HIDDEN_FILE), "the task's hidden tests are " + HIDDEN_FILE);
    final List<TestGenPatch> tests = List.of(TestIssueScripts.testPatch(SAMPLE.task().getInstanceId(), 1, ""),
        TestIssueScripts.testPatch(SAMPLE.task().getInstanceId(), 0, TestIssueScripts.WRAP_TEST));
    final ExecutionVerifier verifier = verifier(ExecutionVerifier.Settings.defaults());

    final TestScore gold = verifier.score(SAMPLE.task(), "gold", SAMPLE.task().getPatch(), tests, SAMPLE.repo());
    final TestScore empty = verifier.score(SAMPLE.task(), "empty", "", tests, SAMPLE.repo());

    for (final TestScore s : List.of(gold, empty)) {
      assertEquals(GradeStatus.PASS, s.getStatus(), s.getDetail());
      assertEquals(EXISTING, s.getRegressionFiles(), "the existing test files, the hidden one left out");
      assertTrue(s.getTestResults().keySet().stream().noneMatch(id -> id.startsWith(HIDDEN_FILE)),
          "no hidden test ran: " + s.getTestResults().keySet());
      assertTrue(s.getTestResults().keySet().stream().allMatch(id -> EXISTING.stream().anyMatch(id::startsWith)),
          s.getTestResults().keySet().toString());
      SAMPLE.task().getFAILTOPASS().forEach(t -> assertFalse(s.getTestResults().containsKey(t), t));
      assertEquals(s.getTestResults().size(), s.getRegressionTotal());
      assertEquals(s.getTestResults().values().stream().filter("PASSED"::equals).count(), s.getRegressionPassed(),
          "regression_passed counts the PASSED tests of the run");
      assertEquals(s.getRegressionPassed(), (int) s.getTestScore());
      assertTrue(s.getSuiteRan());
      assertEquals(List.of(SAMPLE.task().getInstanceId() + "/testgen/0", SAMPLE.task().getInstanceId() + "/testgen/1"),
          s.getTestgenIds(), "reproduction scores in testgen id order");
      assertEquals(List.of("SCORED", "EMPTY_TEST_PATCH"), s.getReproductionOutcomes());
      assertEquals(0.0, s.getReproductionScores().get(1), "an empty test patch scores 0");
    }
    assertTrue(gold.getRegressionTotal() >= 10, "the sample project's other test files hold tests: "
        + gold.getRegressionTotal());
    assertEquals(gold.getRegressionTotal(), gold.getRegressionPassed(), "every existing test passes with the fix");
    assertTrue(gold.getRegressionPassed() >= empty.getRegressionPassed());
    assertEquals("GIT_APPLY", gold.getPatchApplyMethod());
    assertEquals("EMPTY", empty.getPatchApplyMethod());
    assertEquals(List.of(3.0, 0.0), gold.getReproductionScores(), gold.getDetail());
    assertEquals(List.of(1.0, 0.0), empty.getReproductionScores(), empty.getDetail());
    assertEquals(0, SAMPLE.runtime().ownContainerIds().size(), "every verifier container was removed");
  }

  @Test
  void aCandidateThatDoesNotApplyFailsWithZeroScoresAndNoContainer() {
    final String bogus = "diff --git a/textkit/wrap.py b/textkit/wrap.py\n--- a/textkit/wrap.py\n+++ b/textkit/wrap.py\n"
        + "@@ -1,3 +1,3 @@\n-no such line\n-at all\n-here\n+x\n+y\n+z\n";
    final TestScore s = verifier(ExecutionVerifier.Settings.defaults()).score(SAMPLE.task(), "bogus", bogus,
        List.of(TestIssueScripts.testPatch(SAMPLE.task().getInstanceId(), 0, TestIssueScripts.WRAP_TEST)),
        SAMPLE.repo());

    assertEquals(GradeStatus.FAIL, s.getStatus(), s.getDetail());
    assertFalse(s.getPatchApplied());
    assertEquals(0, s.getRegressionPassed());
    assertEquals(List.of(0.0), s.getReproductionScores());
    assertEquals(List.of("CANDIDATE_DOES_NOT_APPLY"), s.getReproductionOutcomes());
    assertEquals(0, SAMPLE.runtime().ownContainerIds().size());
  }

  @Test
  void aReproductionTestThatOverrunsItsTimeLimitIsAnInfraErrorNotAScore() {
    final String hang = "import time\nprint('Test Case 1: Issue resolved', flush=True)\ntime.sleep(60)\n";
    final TestScore s = verifier(new ExecutionVerifier.Settings(null, Duration.ofSeconds(3), "r2e-verify-"))
        .score(SAMPLE.task(), "gold", SAMPLE.task().getPatch(),
            List.of(TestIssueScripts.testPatch(SAMPLE.task().getInstanceId(), 0, hang)), SAMPLE.repo());

    assertEquals(GradeStatus.INFRA_ERROR, s.getStatus(), s.getDetail());
    assertEquals("TIMEOUT", s.getInfraFailure());
    assertEquals(List.of("INFRA_ERROR"), s.getReproductionOutcomes());
    assertEquals(List.of(0.0), s.getReproductionScores(), "no score, never the resolved line it printed");
    assertTrue(s.getDetail().contains("did not finish within PT3S"), s.getDetail());
    assertEquals(0, SAMPLE.runtime().ownContainerIds().size());
  }
}
