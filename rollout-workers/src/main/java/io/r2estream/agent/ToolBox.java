package io.r2estream.agent;

import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.Patches;
import java.time.Duration;
import java.util.List;

/**
 * Executes the editing agent's {@link Action}s inside one task container (through {@link ContainerRuntime}, never
 * on the host) and returns the observation text exactly as R2E-Gym renders it ({@link Observations}). The tools:
 * {@code file_editor} ({@link FileEditor}), {@code search} ({@link SearchTool}), {@code execute_bash}
 * ({@link BashTool}) and {@code finish} ({@link Observations#FINISHED}, sets {@link ToolResult#done()}).
 *
 * <p>Errors the agent caused end as observations, not exceptions:
 * <ul>
 *   <li>an unknown tool: {@code Execution output of [NAME]:\nERROR: Unknown tool 'NAME'. Available tools:
 *       file_editor, search, execute_bash, finish.\n};</li>
 *   <li>missing or bad arguments: {@code Execution output of [NAME]:\nERROR: <sentence>\n}, the sentences listed in
 *       each tool's Javadoc.</li>
 * </ul>
 * Infrastructure failures (engine down, a file command past its limit) are thrown as
 * {@link io.r2estream.runtime.RuntimeFailure}: they are not the agent's doing.
 *
 * <p>State the tools keep (undo stacks, helper script) lives in the container, so a ToolBox is cheap and a second
 * one on the same container sees the first one's edits. Not thread-safe: one agent drives one container.
 */
public final class ToolBox {

  /** The tools in the order the prompts list them. */
  public static final List<String> TOOLS = List.of("file_editor", "search", "execute_bash", "finish");
  /** R2E-Gym's {@code max_exec_time} per agent command. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(90);

  /**
   * @param commandTimeout time limit of each {@code execute_bash} command
   * @param pythonOnly     R2E-Gym's default: directory views and searches show Python files only, viewing other
   *                       files is refused
   */
  public record Settings(Duration commandTimeout, boolean pythonOnly) {

    public Settings {
      if (commandTimeout == null || commandTimeout.isNegative() || commandTimeout.isZero()) {
        throw new IllegalArgumentException("the command timeout must be positive, got " + commandTimeout);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_COMMAND_TIMEOUT, true);
    }
  }

  private final ContainerRuntime runtime;
  private final Container container;
  private final FileEditor editor;
  private final SearchTool search;
  private final BashTool bash;

  public ToolBox(final ContainerRuntime runtime, final Container container, final Settings settings) {
    this.runtime = runtime;
    this.container = container;
    final ContainerFiles files = new ContainerFiles(runtime, container);
    this.editor = new FileEditor(files, settings.pythonOnly());
    this.search = new SearchTool(files, settings.pythonOnly());
    this.bash = new BashTool(files, settings.commandTimeout());
  }

  /** Runs one action and renders its observation. */
  public ToolResult execute(final Action action) {
    return switch (action.name()) {
      case "file_editor" -> {
        final String out = editor.run(action);
        yield new ToolResult(Observations.tool(action.name(), out), false, FileEditor.isError(out));
      }
      case "search" -> {
        final String out = search.run(action);
        yield new ToolResult(Observations.tool(action.name(), out), false, out.startsWith("ERROR: ")
            || out.startsWith("Error executing grep") || out.startsWith("Directory '"));
      }
      case "execute_bash" -> bash.run(action);
      case "finish" -> new ToolResult(Observations.FINISHED, true, false);
      default -> new ToolResult(Observations.tool(action.name(), "ERROR: Unknown tool '" + action.name()
          + "'. Available tools: " + String.join(", ", TOOLS) + ".\n"), false, true);
    };
  }

  /**
   * The agent's patch: the diff of /testbed (untracked files included) against {@code baseRef}
   * ({@link Patches#diff}) without scratch files ({@link ScratchFiles#strip}).
   */
  public String outputPatch(final String baseRef) {
    return ScratchFiles.strip(new Patches(runtime).diff(container, baseRef));
  }

  /** The same for any container, without a ToolBox. */
  public static String outputPatch(final ContainerRuntime runtime, final Container container, final String baseRef) {
    return ScratchFiles.strip(new Patches(runtime).diff(container, baseRef));
  }
}
