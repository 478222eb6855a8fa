package io.r2estream.agent;

/**
 * Runs a parsed call with the {@link ToolBox} of the task's container. A response without a call gets R2E-Gym's
 * reminder; a malformed call gets an error observation naming what is wrong and how to write it, so the model can
 * correct itself on the next step. The action is recorded in text-mode form whichever mode produced it, so
 * trajectories of both modes read (and replay) alike.
 */
public final class ToolBoxRunner implements ActionRunner {

  /** The observation of a call that could not be parsed; the first {@code %s} is the reason, the second the hint. */
  static final String MALFORMED = "ERROR: your function call could not be parsed: %s. %s";

  private final ToolBox tools;

  public ToolBoxRunner(final ToolBox tools) {
    this.tools = tools;
  }

  @Override
  public Turn run(final ParsedResponse parsed, final String formatHint) {
    if (parsed instanceof ParsedResponse.Found f) {
      final ToolResult r = tools.execute(f.action());
      return new Turn(f.thought(), f.action().toXml(), r.observation(), r.done());
    }
    if (parsed instanceof ParsedResponse.Malformed m) {
      return new Turn(m.thought(), "", String.format(MALFORMED, m.reason(), formatHint), false);
    }
    return new Turn(((ParsedResponse.NoFunctionCall) parsed).thought(), "", Observations.CONTINUE_MSG, false);
  }
}
