package io.r2estream.grading;

import static io.r2estream.grading.TestStatus.ERROR;
import static io.r2estream.grading.TestStatus.FAILED;
import static io.r2estream.grading.TestStatus.PASSED;
import static io.r2estream.grading.TestStatus.SKIPPED;
import static io.r2estream.grading.TestStatus.XFAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2estream.avro.ValidationStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** F2P / P2P / pass-to-fail / flaky classification and the verdict on hand-made run sets. */
class ValidationVerdictTest {

  private static TestRunOutcome run(final int exit, final Object... idStatus) {
    final Map<String, TestStatus> m = new LinkedHashMap<>();
    for (int i = 0; i < idStatus.length; i += 2) {
      m.put((String) idStatus[i], (TestStatus) idStatus[i + 1]);
    }
    return new TestRunOutcome(new ParsedLog(m, true), exit);
  }

  private static TestRunOutcome cut(final Object... idStatus) {
    final TestRunOutcome r = run(137, idStatus);
    return new TestRunOutcome(new ParsedLog(r.log().statuses(), false), 137);
  }

  @Test
  void newTestFileAbsentAtParentIsFailToPass() {
    final List<TestRunOutcome> parent = List.of(
        run(1, "t/test_a.py::test_old", PASSED, "t/test_new.py", ERROR),
        run(1, "t/test_a.py::test_old", PASSED, "t/test_new.py", ERROR));
    final List<TestRunOutcome> commit = List.of(
        run(0, "t/test_a.py::test_old", PASSED, "t/test_new.py::test_fix", PASSED, "t/test_new.py::test_x", XFAIL),
        run(0, "t/test_a.py::test_old", PASSED, "t/test_new.py::test_fix", PASSED, "t/test_new.py::test_x", XFAIL));
    final ValidationVerdict v = ValidationVerdict.decide(parent, commit);
    assertEquals(ValidationStatus.NEW_COMMIT_BETTER, v.status());
    assertEquals(List.of("t/test_new.py::test_fix", "t/test_new.py::test_x"), v.outcomes().failToPass());
    assertEquals(List.of("t/test_a.py::test_old"), v.outcomes().passToPass());
    assertEquals(List.of(), v.outcomes().passToFail());
    assertEquals(List.of(), v.outcomes().flaky());
    assertEquals(Map.of("t/test_a.py::test_old", PASSED, "t/test_new.py::test_fix", PASSED,
        "t/test_new.py::test_x", XFAIL), v.outcomes().commitStatuses());
    assertEquals("2 tests go from failing to passing (t/test_new.py::test_fix, t/test_new.py::test_x), "
        + "1 keep passing.", v.reason());
  }

  @Test
  void flakyTestThatWouldBeFailToPassIsExcludedAndListed() {
    final List<TestRunOutcome> parent = List.of(
        run(1, "a::fix", FAILED, "a::shaky", FAILED, "a::keep", PASSED),
        run(1, "a::fix", FAILED, "a::shaky", FAILED, "a::keep", PASSED));
    final List<TestRunOutcome> commit = List.of(
        run(0, "a::fix", PASSED, "a::shaky", PASSED, "a::keep", PASSED),
        run(1, "a::fix", PASSED, "a::shaky", FAILED, "a::keep", PASSED));
    final ValidationVerdict v = ValidationVerdict.decide(parent, commit);
    assertEquals(ValidationStatus.NEW_COMMIT_BETTER, v.status());
    assertEquals(List.of("a::fix"), v.outcomes().failToPass());
    assertEquals(List.of("a::keep"), v.outcomes().passToPass());
    assertEquals(List.of("a::shaky"), v.outcomes().flaky());
    assertEquals(Map.of("a::fix", PASSED, "a::keep", PASSED), v.outcomes().commitStatuses());
    assertEquals("1 tests go from failing to passing (a::fix), 1 keep passing; 1 flaky tests excluded.", v.reason());
  }

  @Test
  void onlyFlakyCandidateLeavesTheCommitNotBetter() {
    final List<TestRunOutcome> parent = List.of(run(1, "a::shaky", FAILED), run(1, "a::shaky", FAILED));
    final List<TestRunOutcome> commit = List.of(run(0, "a::shaky", PASSED), run(1, "a::shaky", FAILED));
    final ValidationVerdict v = ValidationVerdict.decide(parent, commit);
    assertEquals(ValidationStatus.NEW_COMMIT_NOT_BETTER, v.status());
    assertEquals(List.of("a::shaky"), v.outcomes().flaky());
    assertEquals(List.of(), v.outcomes().failToPass());
  }

  @Test
  void flakyAtTheParentAlsoExcludes() {
    final List<TestRunOutcome> parent = List.of(run(1, "a::t", PASSED), run(1, "a::t", FAILED));
    final List<TestRunOutcome> commit = List.of(run(0, "a::t", PASSED), run(0, "a::t", PASSED));
    assertEquals(List.of("a::t"), TestOutcomes.compare(parent, commit).flaky());
  }

  @Test
  void passToFailMakesTheCommitWorseEvenWithFixes() {
    final List<TestRunOutcome> parent = List.of(run(1, "a::fix", FAILED, "a::broken", PASSED, "a::gone", PASSED));
    final List<TestRunOutcome> commit = List.of(run(1, "a::fix", PASSED, "a::broken", ERROR));
    final ValidationVerdict v = ValidationVerdict.decide(parent, commit);
    assertEquals(ValidationStatus.NEW_COMMIT_WORSE, v.status());
    assertEquals(List.of("a::broken", "a::gone"), v.outcomes().passToFail());
    assertEquals(List.of("a::fix"), v.outcomes().failToPass());
    assertEquals("2 tests pass at the parent and not at the commit: a::broken, a::gone.", v.reason());
  }

  @Test
  void failToFailAndSkipsAreNeitherListNorBetter() {
    final List<TestRunOutcome> parent = List.of(run(1, "a::ff", FAILED, "a::sk", SKIPPED, "a::ok", PASSED));
    final List<TestRunOutcome> commit = List.of(run(1, "a::ff", FAILED, "a::sk", SKIPPED, "a::ok", PASSED));
    final ValidationVerdict v = ValidationVerdict.decide(parent, commit);
    assertEquals(ValidationStatus.NEW_COMMIT_NOT_BETTER, v.status());
    assertEquals("No test goes from failing to passing (1 keep passing).", v.reason());
    assertEquals(Map.of("a::ff", FAILED, "a::sk", SKIPPED, "a::ok", PASSED), v.outcomes().commitStatuses());
  }

  @Test
  void commitRunsWithoutSuiteEvidenceFailAtTestRun() {
    final List<TestRunOutcome> parent = List.of(run(1, "a::t", FAILED));
    final ValidationVerdict v = ValidationVerdict.decide(parent, List.of(cut("a::t", PASSED), cut()));
    assertEquals(ValidationStatus.FAIL_AT_TEST_RUN, v.status());
    assertEquals("None of the 2 commit runs shows evidence that the test suite ran (exit codes 137, 137).",
        v.reason());
  }

  @Test
  void commitRunsWithNoTestsFailAtTestRun() {
    final ValidationVerdict v = ValidationVerdict.decide(List.of(run(5)), List.of(run(5), run(5)));
    assertEquals(ValidationStatus.FAIL_AT_TEST_RUN, v.status());
    assertEquals("The commit runs report no tests (exit codes 5, 5).", v.reason());
  }

  @Test
  void parentWithoutSuiteEvidenceFailsAtTestRunRatherThanCountingEverythingFixed() {
    final ValidationVerdict v = ValidationVerdict.decide(List.of(cut(), cut()), List.of(run(0, "a::t", PASSED)));
    assertEquals(ValidationStatus.FAIL_AT_TEST_RUN, v.status());
    assertEquals(List.of("a::t"), v.outcomes().failToPass());
  }

  @Test
  void aRunCutByATimeLimitOnlyCountsTheTestsItReported() {
    // The cut run never reached a::late: its absence there is no observation, so a::late is not flaky.
    final List<TestRunOutcome> parent = List.of(run(1, "a::early", PASSED, "a::late", FAILED),
        cut("a::early", PASSED));
    final List<TestRunOutcome> commit = List.of(run(0, "a::early", PASSED, "a::late", PASSED),
        run(0, "a::early", PASSED, "a::late", PASSED));
    final TestOutcomes o = TestOutcomes.compare(parent, commit);
    assertEquals(List.of("a::late"), o.failToPass());
    assertEquals(List.of("a::early"), o.passToPass());
    assertEquals(List.of(), o.flaky());
  }

  @Test
  void aTestPresentInOnlySomeCompleteRunsIsFlaky() {
    final List<TestRunOutcome> commit = List.of(run(0, "a::t", PASSED, "a::gen", PASSED), run(0, "a::t", PASSED));
    final TestOutcomes o = TestOutcomes.compare(List.of(run(1, "a::t", FAILED)), commit);
    assertEquals(List.of("a::gen"), o.flaky());
    assertEquals(List.of("a::t"), o.failToPass());
  }

  @Test
  void realFixtureLogsCompareFileQualified() throws Exception {
    // The same test name in two files must not collide: test_alpha's passes at both, test_beta's fails at both.
    final TestLogParser p = TestLogParsers.get("pytest");
    final String log;
    try (var in = getClass().getResourceAsStream("/testlogs/pytest-rA-v.log")) {
      log = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    final TestRunOutcome r = new TestRunOutcome(p.parse(log), 1);
    final TestOutcomes o = TestOutcomes.compare(List.of(r), List.of(r));
    assertEquals(true, o.passToPass().contains("tests/test_alpha.py::test_same"));
    assertEquals(false, o.passToPass().contains("tests/test_beta.py::test_same"));
    assertEquals(FAILED, o.commitStatuses().get("tests/test_beta.py::test_same"));
  }
}
