package io.r2estream.grading;

/** Turns a test runner's output into per-test statuses; registered by name in {@link TestLogParsers}. */
public interface TestLogParser {

  /** Registry name, stored in tasks' EnvironmentRef.log_parser. */
  String name();

  /** Statuses by file-qualified test id; evidence that the suite ran. Never throws on odd input. */
  ParsedLog parse(String log);
}
