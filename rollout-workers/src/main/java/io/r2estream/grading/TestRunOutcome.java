package io.r2estream.grading;

/** One execution of a test command as grading sees it: the parsed log and the command's exit code. */
public record TestRunOutcome(ParsedLog log, int exitCode) {

  public TestRunOutcome {
    java.util.Objects.requireNonNull(log, "log");
  }
}
