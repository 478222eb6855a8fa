package io.r2estream.llm;

import java.util.List;

/**
 * A chat completion request; the model comes from the client's {@link LlmConfig}.
 *
 * @param messages    the conversation, at least one message
 * @param temperature sampling temperature; null = the server's default (reasoning models accept no other)
 * @param maxTokens   completion token budget, sent as {@code max_completion_tokens}; null = the server's default
 */
public record ChatRequest(List<ChatMessage> messages, Double temperature, Integer maxTokens) {

  public ChatRequest {
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a chat request needs at least one message");
    }
    if (maxTokens != null && maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
    }
  }

  public static ChatRequest of(final ChatMessage... messages) {
    return new ChatRequest(List.of(messages), null, null);
  }

  public ChatRequest withTemperature(final Double t) {
    return new ChatRequest(messages, t, maxTokens);
  }

  public ChatRequest withMaxTokens(final Integer tokens) {
    return new ChatRequest(messages, temperature, tokens);
  }
}
