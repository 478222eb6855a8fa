package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenUsage;
import java.util.List;

/**
 * Whatever answers the agent: an LLM behind an OpenAI-compatible endpoint ({@link LlmModel}) or a deterministic
 * stand-in named for what it does ({@link EmptySubmitModel}, {@link OracleModel}) that makes CI and environment
 * checks possible without an LLM.
 */
public interface AgentModel {

  /** One model response. */
  record Reply(String content, TokenUsage usage) {
  }

  /** The model's name in trajectories. */
  String name();

  /** Answers the conversation so far; throws {@link io.r2estream.llm.LlmException} when the model cannot. */
  Reply reply(List<ChatMessage> messages, Double temperature, int maxTokens);
}
