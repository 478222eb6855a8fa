package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.ChatRequest;
import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.ToolDefinition;
import java.util.List;

/**
 * An LLM behind an OpenAI-compatible endpoint (vLLM, SGLang, Ollama, OpenAI), in either mode: with tools offered
 * it answers with {@code tool_calls} (the server must support function calling), without them in text.
 */
public final class LlmModel implements AgentModel {

  private final LlmClient client;
  private final String name;

  public LlmModel(final LlmClient client, final String name) {
    this.client = client;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens,
      final List<ToolDefinition> tools) {
    final ChatResponse r = client.chat(new ChatRequest(messages, temperature, maxTokens).withTools(tools));
    return new Reply(r.content(), r.usage(), r.toolCalls(), r.finishReason());
  }
}
