package io.r2estream.verifier.execution;

/**
 * One generated test patch run over one candidate (reference 5.1): the score is the number of lines reporting
 * "Issue resolved" ({@link IssueVerdicts}); an empty test patch, or one that does not apply at the base commit,
 * scores 0; an infrastructure failure has no score.
 *
 * @param testgenId    the test patch
 * @param outcome      how the run ended
 * @param verdicts     the verdict lines the test printed (zeros when it did not run)
 * @param exitCode     exit code of the test, -1 when it did not run
 * @param infraFailure with {@link Outcome#INFRA_ERROR}: TIMEOUT, OOM, DAEMON, IMAGE_BUILD or REPOSITORY; "" otherwise
 * @param detail       why, in one sentence
 * @param outputTail   the end of the test's output
 */
public record ReproductionRun(String testgenId, Outcome outcome, IssueVerdicts verdicts, int exitCode,
    String infraFailure, String detail, String outputTail) {

  /** How a reproduction run ended. */
  public enum Outcome {
    /** The test ran; its score counts. */
    SCORED,
    /** The test patch is empty: score 0 without a container. */
    EMPTY_TEST_PATCH,
    /** The test patch does not apply at the base commit: score 0 (the same for every candidate). */
    TEST_PATCH_DOES_NOT_APPLY,
    /** The candidate does not apply over the test patch: score 0. */
    CANDIDATE_DOES_NOT_APPLY,
    /** The platform failed: no score, never a 0 that looks like a verdict. */
    INFRA_ERROR
  }

  /** The reproduction score: "Issue resolved" lines, 0 unless the test ran. */
  public double score() {
    return outcome == Outcome.SCORED ? verdicts.resolved() : 0.0;
  }
}
