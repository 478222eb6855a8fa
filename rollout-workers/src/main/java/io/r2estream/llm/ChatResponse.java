package io.r2estream.llm;

import java.time.Duration;
import java.util.List;

/**
 * A chat completion: the first choice's text, tool calls and token log-probabilities, why it stopped, with the
 * server's token usage and the call's timing.
 *
 * @param id             completion id from the server
 * @param model          model the server says answered
 * @param content        the assistant message text ("" when the server sent none, as with tool calls)
 * @param finishReason   {@code stop}, {@code length}, {@code tool_calls}, ... as sent; "" when absent
 * @param usage          token usage; {@link TokenUsage#UNKNOWN} when absent
 * @param latency        from the first attempt to the answer, retries and waits included
 * @param attempts       HTTP attempts made (1 = no retry)
 * @param toolCalls      the calls the model made, in order; empty when none
 * @param logprobs       per generated token, when the request asked for them; empty otherwise
 * @param serverLatency  the answering HTTP exchange alone (the model's time plus the network)
 */
public record ChatResponse(String id, String model, String content, String finishReason, TokenUsage usage,
    Duration latency, int attempts, List<ToolCall> toolCalls, List<TokenLogprob> logprobs, Duration serverLatency) {

  public ChatResponse {
    toolCalls = List.copyOf(toolCalls);
    logprobs = List.copyOf(logprobs);
  }

  /** The assistant message to append to the history for the next turn (tool calls included). */
  public ChatMessage toMessage() {
    return ChatMessage.assistant(content, toolCalls);
  }
}
