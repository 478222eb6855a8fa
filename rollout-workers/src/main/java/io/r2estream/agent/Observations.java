package io.r2estream.agent;

import java.util.List;

/**
 * The observation texts the agent reads, exactly as R2E-Gym renders them (its trained models depend on them):
 * <ul>
 *   <li>a tool's output: {@code "Execution output of [NAME]:\n" + output};</li>
 *   <li>{@code execute_bash}: {@code "Exit code: CODE\nExecution output of [execute_bash]:\n" + output}, where CODE
 *       is {@code 0}, {@code Error: Exit code N} for a non-zero exit, or {@code -1} for a timeout; an output of more
 *       than {@value #MAX_LINES} lines keeps its first and last {@value #KEPT_LINES} around
 *       {@link #TRUNCATION_NOTE} framed by lines of 50 dashes;</li>
 *   <li>{@code finish}: {@link #FINISHED};</li>
 *   <li>a response without a function call: {@link #CONTINUE_MSG}.</li>
 * </ul>
 */
public final class Observations {

  /** What the agent reads after a response with no function call (R2E-Gym's text, trailing space included). */
  public static final String CONTINUE_MSG = "\nYou forgot to use a function call in your response. \n"
      + "YOU MUST USE A FUNCTION CALL IN EACH RESPONSE.\n\nIMPORTANT: YOU SHOULD NEVER ASK FOR HUMAN HELP.\n";
  /** The observation of {@code finish}. */
  public static final String FINISHED = "<<< Finished >>>";
  /** Marks the lines cut from the middle of a long {@code execute_bash} output. */
  public static final String TRUNCATION_NOTE = "<Observation truncated in middle for saving context>";
  /** {@code execute_bash} outputs longer than this many lines are cut in the middle. */
  public static final int MAX_LINES = 80;
  /** Lines kept at each end of a cut output. */
  public static final int KEPT_LINES = 40;
  private static final String DIVIDER = "-".repeat(50);

  private Observations() {
  }

  /** The observation of any tool but {@code execute_bash} and {@code finish}. */
  public static String tool(final String name, final String output) {
    return "Execution output of [" + name + "]:\n" + output;
  }

  /** The observation of {@code execute_bash}; {@code exitCode} as R2E-Gym's runtime reports it (see class doc). */
  public static String bash(final String exitCode, final String output) {
    return "Exit code: " + exitCode + "\nExecution output of [execute_bash]:\n" + truncateMiddle(output);
  }

  /** The output as it is when it has at most {@link #MAX_LINES} lines, else its ends around the note. */
  public static String truncateMiddle(final String output) {
    final List<String> lines = PyText.splitlines(output);
    if (lines.size() <= MAX_LINES) {
      return output;
    }
    return String.join("\n", lines.subList(0, KEPT_LINES)) + "\n" + DIVIDER + "\n" + TRUNCATION_NOTE + "\n"
        + DIVIDER + "\n" + String.join("\n", lines.subList(lines.size() - KEPT_LINES, lines.size()));
  }
}
