package io.r2estream.grading;

import java.util.Map;

/**
 * Combines several reports of one test in one run (pytest reports a test passed in its call phase and errored in
 * its teardown; the summary and the per-test line both name it): the least passing report wins, so that a test is
 * only passing when every phase passed.
 */
final class StatusMerge {

  private StatusMerge() {
  }

  /** Higher = worse; PASSED is the best, ERROR the worst. */
  static int severity(final TestStatus s) {
    return switch (s) {
      case PASSED -> 0;
      case XFAIL -> 1;
      case SKIPPED -> 2;
      case XPASS -> 3;
      case FAILED -> 4;
      case ERROR -> 5;
    };
  }

  /** Records {@code status} for {@code id}, keeping the first position and the worse of the two statuses. */
  static void put(final Map<String, TestStatus> statuses, final String id, final TestStatus status) {
    statuses.merge(id, status, (a, b) -> severity(b) > severity(a) ? b : a);
  }
}
