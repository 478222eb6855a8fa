package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenUsage;
import io.r2estream.llm.ToolCall;
import io.r2estream.llm.ToolDefinition;
import java.util.List;

/**
 * Whatever answers the agent: an LLM behind an OpenAI-compatible endpoint ({@link LlmModel}) or a deterministic
 * stand-in named for what it does ({@link EmptySubmitModel}, {@link OracleModel}, {@link ReplayModel}) that makes
 * CI, environment checks and reproductions possible without an LLM.
 */
public interface AgentModel {

  /**
   * One model response.
   *
   * @param content      the text (text mode: thought and {@code <function=...>} call; function-calling mode: the
   *                     thought)
   * @param usage        tokens the call used; {@link TokenUsage#UNKNOWN} for deterministic models
   * @param toolCalls    function-calling mode's calls, in order; empty in text mode
   * @param finishReason why generation stopped ({@code stop}, {@code length}, {@code tool_calls}); "" when unknown
   */
  record Reply(String content, TokenUsage usage, List<ToolCall> toolCalls, String finishReason) {

    /** {@code length}: the completion-token budget ran out, the response is cut. */
    public static final String LENGTH = "length";

    public Reply {
      content = content == null ? "" : content;
      toolCalls = List.copyOf(toolCalls);
      finishReason = finishReason == null ? "" : finishReason;
    }

    /** A text-mode reply. */
    public Reply(final String content, final TokenUsage usage) {
      this(content, usage, List.of(), "");
    }

    public boolean truncated() {
      return LENGTH.equals(finishReason);
    }
  }

  /** The model's name in trajectories. */
  String name();

  /**
   * Answers the conversation so far; {@code tools} is empty in text mode and holds the four tools' schemas in
   * function-calling mode, where the answer's call comes back as {@link Reply#toolCalls()}. Throws
   * {@link io.r2estream.llm.LlmException} when the model cannot answer.
   */
  Reply reply(List<ChatMessage> messages, Double temperature, int maxTokens, List<ToolDefinition> tools);

  /** A text-mode answer. */
  default Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens) {
    return reply(messages, temperature, maxTokens, List.of());
  }
}
