package io.r2estream.agent;

import io.r2estream.llm.ChatRequest;
import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.LlmClient;
import java.util.List;

/** An LLM behind an OpenAI-compatible endpoint (vLLM, SGLang, Ollama, OpenAI), in text mode. */
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
  public Reply reply(final List<io.r2estream.llm.ChatMessage> messages, final Double temperature, final int maxTokens) {
    final ChatResponse r = client.chat(new ChatRequest(messages, temperature, maxTokens));
    return new Reply(r.content() == null ? "" : r.content(), r.usage());
  }
}
