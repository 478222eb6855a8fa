package io.r2estream.backtranslation;

import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.ChatRequest;
import io.r2estream.llm.ChatResponse;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the problem statement of one validated environment: asks the LLM for an issue and keeps its last
 * {@code [ISSUE]} block, or falls back to the commit message, with the reason in {@code detail}, when no LLM is
 * configured, the call fails after its retries, or the completion has no issue block. It never throws for an
 * LLM problem: a statement is always produced, and its {@code source} tells which kind it is.
 */
public final class BackTranslation {

  private static final Logger LOG = LoggerFactory.getLogger(BackTranslation.class);

  /** {@code detail} of statements written while no LLM is configured. */
  public static final String NO_LLM = "no LLM configured";

  private final Optional<LlmClient> llm;
  private final Integer maxTokens;
  private final Double temperature;
  private final Clock clock;

  /**
   * @param llm         the client, or empty when no LLM is configured
   * @param maxTokens   completion budget per call; null = server default
   * @param temperature sampling temperature; null = server default
   */
  public BackTranslation(final Optional<LlmClient> llm, final Integer maxTokens, final Double temperature,
      final Clock clock) {
    this.llm = llm;
    this.maxTokens = maxTokens;
    this.temperature = temperature;
    this.clock = clock;
  }

  public ProblemStatement statementFor(final EnvValidation v) {
    if (llm.isEmpty()) {
      return ProblemStatements.fromCommitMessage(v, NO_LLM, clock.instant());
    }
    final String prompt;
    try {
      prompt = BackTranslationPrompt.build(v);
    } catch (RuntimeException e) {
      LOG.error("Cannot build the back-translation prompt of {}; using the commit message", v.getTaskId(), e);
      return ProblemStatements.fromCommitMessage(v, "prompt could not be built: " + e, clock.instant());
    }
    final ChatResponse response;
    try {
      response = llm.get().chat(new ChatRequest(List.of(ChatMessage.user(prompt)), temperature, maxTokens));
    } catch (LlmException e) {
      LOG.warn("LLM failed for {}; using the commit message: {}", v.getTaskId(), e.getMessage());
      return ProblemStatements.fromCommitMessage(v, "LLM call failed: " + e.getMessage(), clock.instant(), prompt,
          "");
    }
    final Optional<String> issue = IssueExtractor.extract(response.content());
    if (issue.isEmpty()) {
      LOG.warn("LLM completion for {} has no [ISSUE] block (finish_reason={}); using the commit message",
          v.getTaskId(), response.finishReason());
      return ProblemStatements.fromCommitMessage(v, "LLM completion has no [ISSUE] block (finish_reason="
          + response.finishReason() + ", " + response.content().length() + " characters)", clock.instant(), prompt,
          response.content());
    }
    return ProblemStatements.fromLlm(v, prompt, response, issue.get(), clock.instant());
  }
}
