package io.r2estream.llm;

import java.util.List;

/**
 * A chat completion request; the model comes from the client's {@link LlmConfig}.
 *
 * @param messages    the conversation, at least one message
 * @param temperature sampling temperature; null = the server's default (reasoning models accept no other)
 * @param maxTokens   completion token budget, sent as {@code max_completion_tokens}; null = the server's default
 * @param tools       functions the model may call ({@code tools}); empty = none sent
 * @param toolChoice  {@code tool_choice}; null = the server's default (auto when tools are sent)
 * @param topLogprobs null = no log-probabilities; 0 = those of the generated tokens ({@code logprobs: true}); n
 *                    &gt; 0 = also the n most likely tokens at each position ({@code top_logprobs: n}, at most 20)
 */
public record ChatRequest(List<ChatMessage> messages, Double temperature, Integer maxTokens,
    List<ToolDefinition> tools, ToolChoice toolChoice, Integer topLogprobs) {

  /** The largest {@code top_logprobs} OpenAI accepts. */
  public static final int MAX_TOP_LOGPROBS = 20;

  public ChatRequest {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
    if (toolChoice != null && !"none".equals(toolChoice.mode()) && tools.isEmpty()) {
      throw new IllegalArgumentException("tool choice '" + toolChoice.mode() + "' needs tools to choose from");
    }
    if (toolChoice != null && toolChoice.function() != null
        && tools.stream().noneMatch(t -> t.name().equals(toolChoice.function()))) {
      throw new IllegalArgumentException("tool choice names '" + toolChoice.function() + "', which is not a tool"
          + " of the request");
    }
    if (topLogprobs != null && (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS)) {
      throw new IllegalArgumentException("topLogprobs must be 0.." + MAX_TOP_LOGPROBS + ", got " + topLogprobs);
    }
  }

  /** Without tools or log-probabilities. */
  public ChatRequest(final List<ChatMessage> messages, final Double temperature, final Integer maxTokens) {
    this(messages, temperature, maxTokens, List.of(), null, null);
  }

  public static ChatRequest of(final ChatMessage... messages) {
    return new ChatRequest(List.of(messages), null, null);
  }

  public ChatRequest withTemperature(final Double t) {
    return new ChatRequest(messages, t, maxTokens, tools, toolChoice, topLogprobs);
  }

  public ChatRequest withMaxTokens(final Integer tokens) {
    return new ChatRequest(messages, temperature, tokens, tools, toolChoice, topLogprobs);
  }

  /** Offers these functions to the model, leaving the choice to the server's default. */
  public ChatRequest withTools(final List<ToolDefinition> offered) {
    return new ChatRequest(messages, temperature, maxTokens, offered, toolChoice, topLogprobs);
  }

  public ChatRequest withToolChoice(final ToolChoice choice) {
    return new ChatRequest(messages, temperature, maxTokens, tools, choice, topLogprobs);
  }

  /** Asks for the log-probabilities of the generated tokens and of the {@code top} most likely at each position. */
  public ChatRequest withLogprobs(final int top) {
    return new ChatRequest(messages, temperature, maxTokens, tools, toolChoice, top);
  }
}
