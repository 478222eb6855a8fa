package io.r2estream.verifier.execution;

import io.r2estream.grading.TestStatus;
import java.util.List;
import java.util.Map;

/**
 * The repository's existing tests run over one candidate (reference 5.1, regression score): the test files present
 * at the base commit, the task's hidden test files left out, the candidate's edits to test files reset first.
 *
 * @param outcome        how the run ended
 * @param patchApplied   the candidate applied at the base commit (an empty patch applies)
 * @param applyMethod    GIT_APPLY, GIT_APPLY_3WAY, PATCH_FUZZ, EMPTY; "" when it did not apply
 * @param applyError     every apply method's error when it did not apply
 * @param testFilesReset test files the candidate touched, put back as at the base commit
 * @param files          the test files run
 * @param results        each reported test's status, in the log's order
 * @param exitCode       exit code of the test command, -1 when it did not run
 * @param suiteRan       the log shows the runner's final summary
 * @param durationMs     wall time of the test command
 * @param infraFailure   with {@link Outcome#INFRA_ERROR}: the label; "" otherwise
 * @param detail         why, in one sentence
 */
public record RegressionRun(Outcome outcome, boolean patchApplied, String applyMethod, String applyError,
    List<String> testFilesReset, List<String> files, Map<String, TestStatus> results, int exitCode,
    boolean suiteRan, long durationMs, String infraFailure, String detail) {

  /** How a regression run ended. */
  public enum Outcome {
    /** The tests ran (or there were none to run); the counts are a verdict. */
    RAN,
    /** The candidate does not apply at the base commit: nothing ran, every count is 0. */
    CANDIDATE_DOES_NOT_APPLY,
    /** The platform failed: the counts are no verdict. */
    INFRA_ERROR
  }

  public RegressionRun {
    testFilesReset = List.copyOf(testFilesReset);
    files = List.copyOf(files);
    results = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(results));
  }

  /** Tests reported PASSED (the score). */
  public int passed() {
    return (int) results.values().stream().filter(s -> s == TestStatus.PASSED).count();
  }

  /** Tests reported with any status. */
  public int total() {
    return results.size();
  }
}
