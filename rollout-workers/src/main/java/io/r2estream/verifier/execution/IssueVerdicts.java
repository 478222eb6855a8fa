package io.r2estream.verifier.execution;

/**
 * What a reproduction test ({@code test_issue.py}, reference 4.7) printed: how many of its lines report
 * {@value #REPRODUCED}, {@value #RESOLVED} and {@value #OTHER}. A line counts once, for the first of the three it
 * contains. R2E-Gym counts every occurrence of the word "resolved" in the output; counting whole verdict lines keeps
 * a test's own text ("resolved" in an exception message, a case name) from scoring.
 *
 * @param reproduced lines reporting the bug present
 * @param resolved   lines reporting the correct behaviour
 * @param other      lines reporting an unexpected error
 */
public record IssueVerdicts(int reproduced, int resolved, int other) {

  public static final String REPRODUCED = "Issue reproduced";
  public static final String RESOLVED = "Issue resolved";
  public static final String OTHER = "Other issues";

  /** The verdict lines of a test's output. */
  public static IssueVerdicts of(final String output) {
    int reproduced = 0;
    int resolved = 0;
    int other = 0;
    for (final String line : output.split("\n")) {
      if (line.contains(REPRODUCED)) {
        reproduced++;
      } else if (line.contains(RESOLVED)) {
        resolved++;
      } else if (line.contains(OTHER)) {
        other++;
      }
    }
    return new IssueVerdicts(reproduced, resolved, other);
  }
}
