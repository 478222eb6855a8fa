package io.r2estream.grading;

import io.r2estream.avro.ValidationStatus;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SWE-GEN's verdict on a commit from its dual test execution (R2E-Gym's {@code is_good_exec}, with flaky tests
 * excluded and absence at the parent counted as not passing), with a one-sentence reason for humans and
 * dashboards. In order:
 * <ol>
 *   <li>FAIL_AT_TEST_RUN: no commit run shows evidence the suite ran, the commit runs report no test, or no parent
 *       run shows evidence the suite ran (then "absent at the parent" could mean "the runner died", not "the test
 *       did not exist", and every test would wrongly look fixed);</li>
 *   <li>NEW_COMMIT_WORSE: at least one test passes at the parent and not at the commit;</li>
 *   <li>NEW_COMMIT_BETTER: at least one FAIL_TO_PASS test;</li>
 *   <li>NEW_COMMIT_NOT_BETTER: otherwise.</li>
 * </ol>
 * FAIL_AT_SETUP, INFRA_ERROR and the gold-patch statuses are decided by the worker around this, not here.
 */
public record ValidationVerdict(ValidationStatus status, String reason, TestOutcomes outcomes) {

  /** How many test ids a reason names before it says "and N more". */
  private static final int NAMED_IN_REASON = 3;

  /** Compares the runs and decides. */
  public static ValidationVerdict decide(final List<TestRunOutcome> parentRuns,
      final List<TestRunOutcome> commitRuns) {
    final TestOutcomes o = TestOutcomes.compare(parentRuns, commitRuns);
    if (commitRuns.stream().noneMatch(r -> r.log().suiteRan())) {
      return new ValidationVerdict(ValidationStatus.FAIL_AT_TEST_RUN, "None of the " + commitRuns.size()
          + " commit runs shows evidence that the test suite ran (exit codes " + exitCodes(commitRuns) + ").", o);
    }
    if (commitRuns.stream().allMatch(r -> r.log().statuses().isEmpty())) {
      return new ValidationVerdict(ValidationStatus.FAIL_AT_TEST_RUN, "The commit runs report no tests (exit codes "
          + exitCodes(commitRuns) + ").", o);
    }
    if (parentRuns.stream().noneMatch(r -> r.log().suiteRan())) {
      return new ValidationVerdict(ValidationStatus.FAIL_AT_TEST_RUN, "None of the " + parentRuns.size()
          + " parent runs shows evidence that the test suite ran (exit codes " + exitCodes(parentRuns) + ").", o);
    }
    final String flakyNote = o.flaky().isEmpty() ? "" : "; " + o.flaky().size() + " flaky tests excluded";
    if (!o.passToFail().isEmpty()) {
      return new ValidationVerdict(ValidationStatus.NEW_COMMIT_WORSE, o.passToFail().size()
          + " tests pass at the parent and not at the commit: " + names(o.passToFail()) + flakyNote + ".", o);
    }
    if (!o.failToPass().isEmpty()) {
      return new ValidationVerdict(ValidationStatus.NEW_COMMIT_BETTER, o.failToPass().size()
          + " tests go from failing to passing (" + names(o.failToPass()) + "), " + o.passToPass().size()
          + " keep passing" + flakyNote + ".", o);
    }
    return new ValidationVerdict(ValidationStatus.NEW_COMMIT_NOT_BETTER, "No test goes from failing to passing ("
        + o.passToPass().size() + " keep passing" + flakyNote + ").", o);
  }

  private static String exitCodes(final List<TestRunOutcome> runs) {
    return runs.isEmpty() ? "none: no runs"
        : runs.stream().map(r -> Integer.toString(r.exitCode())).collect(Collectors.joining(", "));
  }

  private static String names(final List<String> ids) {
    final String named = String.join(", ", ids.subList(0, Math.min(NAMED_IN_REASON, ids.size())));
    return ids.size() > NAMED_IN_REASON ? named + " and " + (ids.size() - NAMED_IN_REASON) + " more" : named;
  }
}
