package io.r2estream.llm;

import java.time.Duration;

/**
 * A chat completion: the first choice's text and why it stopped, with the server's token usage.
 *
 * @param id           completion id from the server
 * @param model        model the server says answered
 * @param content      the assistant message text ("" when the server sent none)
 * @param finishReason {@code stop}, {@code length}, ... as sent; "" when absent
 * @param usage        token usage; {@link TokenUsage#UNKNOWN} when absent
 * @param latency      from the first attempt to the answer, retries and waits included
 * @param attempts     HTTP attempts made (1 = no retry)
 */
public record ChatResponse(String id, String model, String content, String finishReason, TokenUsage usage,
    Duration latency, int attempts) {
}
