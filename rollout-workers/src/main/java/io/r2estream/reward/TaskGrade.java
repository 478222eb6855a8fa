package io.r2estream.reward;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TestScore;
import io.r2estream.grading.Grader;
import io.r2estream.grading.TestStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reward of one candidate patch on one task, graded on the task's hidden tests: {@code PASS} (resolved),
 * {@code FAIL} (applied and graded, not resolved, or did not apply), {@code ERROR} (the task cannot grade it: it
 * lists no test, or its hidden tests do not install over the candidate; not a verdict on the patch) or {@code INFRA_ERROR} with a
 * label ({@code TIMEOUT}, {@code OOM}, {@code DAEMON}, {@code IMAGE_BUILD}, {@code REPOSITORY}), which is never a
 * failure of the candidate.
 *
 * @param taskId          the task graded
 * @param status          the verdict, as above
 * @param resolved        every FAIL_TO_PASS and PASS_TO_PASS test (flaky ones left out) passes and the suite ran
 * @param detail          why, in one sentence
 * @param patchApplied    the candidate applied at the base commit (an empty patch applies)
 * @param applyMethod     {@code GIT_APPLY}, {@code GIT_APPLY_3WAY}, {@code PATCH_FUZZ}, {@link #EMPTY_PATCH}; ""
 *                        when it did not apply or was not tried
 * @param applyError      every apply method's error when it did not apply, "" otherwise
 * @param testFilesReset  test files the candidate touched, restored to the base commit or removed when new
 * @param tests           the graded tests (FAIL_TO_PASS first), with their status in the run
 * @param exitCode        exit code of the test command, -1 when it did not run
 * @param suiteRan        the log shows the runner's final summary
 * @param testDuration    wall time of the test command, zero when it did not run
 * @param infraFailure    the infrastructure label with {@code INFRA_ERROR}, "" otherwise
 * @param logTail         the end of the test command's output
 * @param timingsMs       milliseconds per phase (env_image, container, apply, reset, hidden_tests, tests)
 */
public record TaskGrade(String taskId, GradeStatus status, boolean resolved, String detail, boolean patchApplied,
    String applyMethod, String applyError, List<String> testFilesReset, List<Grader.TestGrade> tests, int exitCode,
    boolean suiteRan, Duration testDuration, String infraFailure, String logTail, Map<String, Long> timingsMs) {

  /** {@link #applyMethod} of an empty (or blank) candidate patch: nothing to apply. */
  public static final String EMPTY_PATCH = "EMPTY";
  /** {@link TestScore#getTestResults()} status of a graded test the log does not report. */
  public static final String MISSING = "MISSING";

  public TaskGrade {
    testFilesReset = List.copyOf(testFilesReset);
    tests = List.copyOf(tests);
    timingsMs = Map.copyOf(timingsMs);
  }

  /**
   * The Avro score of this grade. {@code hidden_reward} is 1.0 / 0.0 for PASS / FAIL and null when the candidate
   * was not judged (ERROR, INFRA_ERROR); {@code regression_*} count the PASS_TO_PASS tests; {@code test_results}
   * holds every graded test's status ({@value #MISSING} when the log does not report it). {@code test_score} is
   * 0.0: it is the ranking score of the verifiers, which never see the hidden tests.
   */
  public TestScore toTestScore(final String candidateId, final Instant scoredAt) {
    final Map<String, String> results = new TreeMap<>();
    tests.forEach(t -> results.put(t.id(), t.status() == null ? MISSING : t.status().name()));
    final List<Grader.TestGrade> regression = tests.stream()
        .filter(t -> t.expected() == Grader.Expectation.PASS_TO_PASS).toList();
    final boolean judged = status == GradeStatus.PASS || status == GradeStatus.FAIL;
    return TestScore.newBuilder()
        .setCandidateId(candidateId).setTaskId(taskId).setStatus(status)
        .setHiddenReward(judged ? (resolved ? 1.0 : 0.0) : null)
        .setRegressionPassed((int) regression.stream().filter(Grader.TestGrade::passing).count())
        .setRegressionTotal(regression.size())
        .setTestScore(0.0).setTestResults(results).setScoredAt(scoredAt)
        .setInfraFailure(infraFailure).setDetail(detail).setPatchApplied(patchApplied)
        .setPatchApplyMethod(applyMethod).setPatchApplyError(applyError).setTestFilesReset(testFilesReset)
        .setExitCode(exitCode).setSuiteRan(suiteRan).setDurationMs(testDuration.toMillis())
        .build();
  }

  /** The status of a graded test in the run, or null when it is not graded or the log does not report it. */
  public TestStatus statusOf(final String testId) {
    return tests.stream().filter(t -> t.id().equals(testId)).map(Grader.TestGrade::status).findFirst().orElse(null);
  }
}
