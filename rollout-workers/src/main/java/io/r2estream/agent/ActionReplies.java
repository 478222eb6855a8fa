package io.r2estream.agent;

import io.r2estream.llm.TokenUsage;
import io.r2estream.llm.ToolCall;
import io.r2estream.llm.ToolDefinition;
import java.util.List;

/**
 * How a deterministic model says "call this" in the mode it is asked in: R2E-Gym's text format after the thought,
 * or, when tools are offered, a tool call beside the thought (as a function-calling server would answer).
 */
final class ActionReplies {

  private ActionReplies() {
  }

  /** The reply calling {@code action}; {@code index} makes the tool call's id unique within the rollout. */
  static AgentModel.Reply of(final String thought, final Action action, final List<ToolDefinition> tools,
      final int index) {
    if (tools.isEmpty()) {
      return new AgentModel.Reply(thought + "\n\n" + action.toXml(), TokenUsage.UNKNOWN);
    }
    return new AgentModel.Reply(thought, TokenUsage.UNKNOWN,
        List.of(new ToolCall("call_" + index, action.name(), action.argumentsJson())), "tool_calls");
  }

  static Action submit() {
    return new Action("finish", java.util.Map.of("command", "submit"));
  }
}
