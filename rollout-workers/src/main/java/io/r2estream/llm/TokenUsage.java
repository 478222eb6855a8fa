package io.r2estream.llm;

/** Tokens of one completion as the server reported them; -1 where the server reported nothing. */
public record TokenUsage(int promptTokens, int completionTokens, int totalTokens) {

  public static final TokenUsage UNKNOWN = new TokenUsage(-1, -1, -1);
}
