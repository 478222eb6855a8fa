package io.r2estream.llm;

import java.util.List;
import java.util.Objects;

/**
 * One message of a chat: role ({@code system}, {@code user}, {@code assistant}, {@code tool}) and text, plus what
 * tool calling adds: the calls an assistant message made, and the call a {@code tool} message answers.
 *
 * @param role       {@code system}, {@code user}, {@code assistant} or {@code tool}
 * @param content    the text ("" for an assistant message that only calls tools)
 * @param toolCalls  the calls of an assistant message; empty for every other role
 * @param toolCallId the call a {@code tool} message answers; null for every other role
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {

  public static final String TOOL = "tool";
  public static final String ASSISTANT = "assistant";

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    toolCalls = List.copyOf(toolCalls);
    if (!toolCalls.isEmpty() && !ASSISTANT.equals(role)) {
      throw new IllegalArgumentException("only assistant messages carry tool calls, not '" + role + "'");
    }
    if (TOOL.equals(role) == (toolCallId == null || toolCallId.isEmpty())) {
      throw new IllegalArgumentException(TOOL.equals(role) ? "a tool message needs the id of the call it answers"
          : "only tool messages answer a tool call, not '" + role + "' (tool_call_id " + toolCallId + ")");
    }
  }

  /** A message without tool calling. */
  public ChatMessage(final String role, final String content) {
    this(role, content, List.of(), null);
  }

  public static ChatMessage system(final String content) {
    return new ChatMessage("system", content);
  }

  public static ChatMessage user(final String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(final String content) {
    return new ChatMessage(ASSISTANT, content);
  }

  /** The assistant turn that made {@code calls} (its text may be ""), to put back into the history. */
  public static ChatMessage assistant(final String content, final List<ToolCall> calls) {
    return new ChatMessage(ASSISTANT, content, calls, null);
  }

  /** The same message with other text (its tool calls and the call it answers kept). */
  public ChatMessage withContent(final String text) {
    return new ChatMessage(role, text, toolCalls, toolCallId);
  }

  /** The result of the tool call {@code toolCallId}. */
  public static ChatMessage tool(final String toolCallId, final String content) {
    return new ChatMessage(TOOL, content, List.of(), toolCallId);
  }
}
