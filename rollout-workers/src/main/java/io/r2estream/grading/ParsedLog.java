package io.r2estream.grading;

import java.util.Map;

/**
 * Per-test statuses of one run (ordered as reported) and whether the log holds positive evidence that the suite
 * ran to its end (e.g. pytest's final summary line); an empty map without evidence means the runner never ran.
 */
public record ParsedLog(Map<String, TestStatus> statuses, boolean suiteRan) {

  public ParsedLog {
    statuses = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(statuses));
  }
}
