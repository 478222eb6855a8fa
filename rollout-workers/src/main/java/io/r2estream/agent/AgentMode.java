package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.ToolCall;
import io.r2estream.llm.ToolDefinition;
import java.util.List;
import java.util.Map;

/**
 * How the agent and its model exchange calls (reference 4.1). {@link #TEXT}: the system prompt documents the tools
 * and the model writes {@code <function=NAME><parameter=K>V</parameter></function>} in its text; the history keeps
 * the assistant turn as thought plus the normalised call and the observation as a user message (the format
 * R2E-Gym's and DeepSWE's models were trained on). {@link #FUNCTION_CALLING}: the tools' JSON schemas go with every
 * request and the model answers with {@code tool_calls}; the history keeps the assistant message with its first
 * call and answers it with a {@code tool} message, so servers that check call ids (OpenAI, vLLM) accept the
 * conversation.
 */
public enum AgentMode {
  TEXT("text"),
  FUNCTION_CALLING("function_calling");

  /** The rollout request's agent_config key choosing the mode: {@code text} (default) or {@code function_calling}. */
  public static final String AGENT_CONFIG_KEY = "mode";

  private final String id;

  AgentMode(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The mode an agent_config asks for; an unknown value is an error naming the accepted ones. */
  public static AgentMode of(final Map<String, String> agentConfig) {
    final String v = agentConfig.getOrDefault(AGENT_CONFIG_KEY, TEXT.id).strip();
    for (final AgentMode m : values()) {
      if (m.id.equals(v)) {
        return m;
      }
    }
    throw new IllegalArgumentException("agent_config " + AGENT_CONFIG_KEY + " must be 'text' or 'function_calling',"
        + " got '" + v + "'");
  }

  public AgentPrompts prompts() {
    return this == TEXT ? AgentPrompts.textMode() : AgentPrompts.functionCalling();
  }

  /** The tools offered with each request: none in text mode (the prompt documents them). */
  public List<ToolDefinition> tools() {
    return this == TEXT ? List.of() : ToolSchemas.definitions();
  }

  /** The call in a reply: the text's {@code <function=...>} block, or the first tool call. */
  public ParsedResponse parse(final AgentModel.Reply reply) {
    if (this == TEXT || reply.toolCalls().isEmpty()) {
      // A function-calling model that answers in text gets the same reminder as a text model without a call.
      return this == TEXT ? ActionParser.parseText(reply.content())
          : new ParsedResponse.NoFunctionCall(reply.content().strip());
    }
    final ToolCall call = reply.toolCalls().get(0);
    return ActionParser.parseToolCall(reply.content(), call.name(), call.arguments());
  }

  /** What the model is told after a call it could not write properly, appended to the parser's reason. */
  public String formatHint() {
    return this == TEXT ? "Use exactly this format:\n<function=NAME>\n<parameter=KEY>VALUE</parameter>\n</function>"
        : "Call one of the offered functions with a JSON object of its parameters as arguments.";
  }

  /**
   * The history entries of one step: the assistant turn and the observation answering it. {@code step} names a
   * call whose id the server left empty (some local servers do), since the tool message must repeat one.
   */
  public List<ChatMessage> turn(final AgentModel.Reply reply, final ActionRunner.Turn turn, final int step) {
    if (this == FUNCTION_CALLING && !reply.toolCalls().isEmpty()) {
      final ToolCall first = reply.toolCalls().get(0);
      final ToolCall call = first.id().isBlank() ? new ToolCall("call_" + step, first.name(), first.arguments())
          : first;
      return List.of(ChatMessage.assistant(reply.content(), List.of(call)), ChatMessage.tool(call.id(),
          turn.observation()));
    }
    final String assistant = this == TEXT && !turn.action().isEmpty() ? turn.thought() + "\n\n" + turn.action()
        : this == TEXT ? turn.thought() : reply.content();
    return List.of(ChatMessage.assistant(assistant), ChatMessage.user(turn.observation()));
  }
}
