package io.r2estream.grading;

/** The status of one test in one run, as the log parsers report it. */
public enum TestStatus {
  PASSED, FAILED, ERROR, SKIPPED, XFAIL, XPASS;

  /** Counts as passing for FAIL_TO_PASS / PASS_TO_PASS: an expected failure is a pass of its own kind. */
  public boolean passing() {
    return this == PASSED || this == XFAIL;
  }
}
