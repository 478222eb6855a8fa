package io.r2estream.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code execute_bash} tool ({@code cmd}; {@code command} is accepted too, as later R2E-Gym tool variants name
 * it): runs the command with {@code bash -c} in /testbed with the container's environment and stdin from
 * /dev/null, under a per-command time limit, and renders R2E-Gym's observation:
 * <pre>
 * Exit code: 0
 * Execution output of [execute_bash]:
 * [STDOUT]
 *
 * &lt;stdout stripped&gt; (a space)
 *
 * [STDERR]
 *
 * &lt;stderr stripped&gt;
 * </pre>
 * A failing command reads {@code Exit code: Error: Exit code N} and its output starts with
 * {@code Error executing command:} and an empty line (R2E-Gym's runtime reports the code that way; colour codes are
 * then not stripped, as there). A command that overruns the limit reads
 * {@code Exit code: -1 ... The command took too long to execute (>Ns)}. Outputs over 80 lines are cut in the middle
 * ({@link Observations#truncateMiddle}).
 */
final class BashTool {

  /**
   * First words that are refused, R2E-Gym's later list. {@code git}: the agent must fix the code, not dig the fix
   * out of history or reset files (our task containers already hold no history past the base commit); the others
   * start interactive or detached processes that would hang or outlive the call.
   */
  static final List<String> BLOCKED_COMMANDS = List.of("git", "ipython", "jupyter", "nohup");

  private final ContainerFiles files;
  private final Duration timeout;

  BashTool(final ContainerFiles files, final Duration timeout) {
    this.files = files;
    this.timeout = timeout;
  }

  /** The rendered observation, and whether the command failed. */
  ToolResult run(final Action action) {
    final String cmd = action.parameter("cmd") != null ? action.parameter("cmd") : action.parameter("command");
    if (cmd == null || cmd.isBlank()) {
      return new ToolResult(Observations.tool("execute_bash", cmd == null
          ? "ERROR: Missing required parameter 'cmd' for 'execute_bash'.\n"
          : "ERROR: The 'cmd' parameter of 'execute_bash' is empty.\n"), false, true);
    }
    final String first = cmd.strip().split("\\s+")[0];
    if (BLOCKED_COMMANDS.contains(first)) {
      return new ToolResult(Observations.bash("Error: Exit code 1", "Bash command '" + first
          + "' is not allowed. Please use a different command or tool.\n"), false, true);
    }
    final var result = files.run(cmd, Map.of(), timeout);
    if (result.timedOut()) {
      return new ToolResult(Observations.bash("-1", "The command took too long to execute (>" + seconds() + "s)"),
          false, true);
    }
    final String body = "[STDOUT]\n\n" + result.stdout().strip() + " \n\n[STDERR]\n\n" + result.stderr().strip()
        + "\n";
    if (result.exitCode() == 0) {
      return new ToolResult(Observations.bash("0", PyText.stripAnsi(body)), false, false);
    }
    return new ToolResult(Observations.bash("Error: Exit code " + result.exitCode(),
        "Error executing command:\n\n" + body), false, true);
  }

  private String seconds() {
    final long millis = timeout.toMillis();
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }
}
