package io.r2estream.llm;

/**
 * Cumulative accounting of one {@link LlmClient}: a consistent-enough snapshot for dashboards and tests.
 *
 * @param calls            chat calls that returned a completion
 * @param failures         chat calls that ended in an {@link LlmException}
 * @param retries          extra HTTP attempts over all calls
 * @param promptTokens     prompt tokens over all completions (as reported by the server)
 * @param completionTokens completion tokens over all completions
 */
public record LlmStats(long calls, long failures, long retries, long promptTokens, long completionTokens) {
}
