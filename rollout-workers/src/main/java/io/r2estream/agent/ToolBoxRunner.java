package io.r2estream.agent;

/**
 * Text mode's {@link ActionRunner}: parses the response's {@code <function=...>} call and runs it with the
 * {@link ToolBox} of the task's container. A response without a call gets R2E-Gym's reminder; a malformed call gets
 * an error observation naming what is wrong, so the model can correct itself on the next step.
 */
public final class ToolBoxRunner implements ActionRunner {

  /** The observation of a call that could not be parsed; {@code %s} is the reason. */
  static final String MALFORMED = "ERROR: your function call could not be parsed: %s. Use exactly this format:\n"
      + "<function=NAME>\n<parameter=KEY>VALUE</parameter>\n</function>";

  private final ToolBox tools;

  public ToolBoxRunner(final ToolBox tools) {
    this.tools = tools;
  }

  @Override
  public Turn run(final String modelResponse) {
    final ParsedResponse parsed = ActionParser.parseText(modelResponse);
    if (parsed instanceof ParsedResponse.Found f) {
      final ToolResult r = tools.execute(f.action());
      return new Turn(f.thought(), f.action().toXml(), r.observation(), r.done());
    }
    if (parsed instanceof ParsedResponse.Malformed m) {
      return new Turn(m.thought(), "", String.format(MALFORMED, m.reason()), false);
    }
    return new Turn(((ParsedResponse.NoFunctionCall) parsed).thought(), "", Observations.CONTINUE_MSG, false);
  }
}
