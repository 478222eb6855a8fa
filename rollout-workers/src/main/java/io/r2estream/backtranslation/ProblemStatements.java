package io.r2estream.backtranslation;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.llm.ChatResponse;
import java.time.Instant;

/** Builds {@link ProblemStatement} records, from an LLM's issue or, as the fallback, from the commit message. */
public final class ProblemStatements {

  /** {@code ProblemStatement.source} of statements written by an LLM. */
  public static final String SOURCE_LLM = "llm";
  /** {@code ProblemStatement.source} of statements that are the commit message. */
  public static final String SOURCE_COMMIT_MESSAGE = "commit-message";
  /** Stored prompts and completions are cut to this many characters so a statement stays far below the record cap. */
  static final int MAX_STORED_CHARS = 1_000_000;

  private ProblemStatements() {
  }

  /**
   * The commit message as the statement, for when no LLM is configured or it failed; {@code detail} says why.
   * A commit without a message gets a sentence naming the tests that must come to pass.
   */
  public static ProblemStatement fromCommitMessage(final EnvValidation v, final String detail, final Instant at) {
    return fromCommitMessage(v, detail, at, "", "");
  }

  /** The fallback, keeping what the failed LLM attempt produced (prompt, raw completion) for inspection. */
  public static ProblemStatement fromCommitMessage(final EnvValidation v, final String detail, final Instant at,
      final String prompt, final String rawCompletion) {
    final EnvCandidate c = v.getCandidate();
    final String message = c == null ? "" : c.getCommitMessage().strip();
    final String statement = !message.isEmpty() ? message
        : "Commit " + v.getCommitSha() + " of " + v.getRepository() + " has no message. These tests fail before it"
            + " and should pass: " + String.join(", ", v.getFailToPass());
    return ProblemStatement.newBuilder().setTaskId(v.getTaskId()).setProblemStatement(statement)
        .setRawCompletion(cap(rawCompletion)).setPrompt(cap(prompt)).setModel("").setWrittenAt(at)
        .setSource(SOURCE_COMMIT_MESSAGE).setDetail(detail).build();
  }

  /** The issue an LLM wrote, with the call's model, token usage and latency. */
  public static ProblemStatement fromLlm(final EnvValidation v, final String prompt, final ChatResponse response,
      final String issue, final Instant at) {
    return ProblemStatement.newBuilder().setTaskId(v.getTaskId()).setProblemStatement(issue)
        .setRawCompletion(cap(response.content())).setPrompt(cap(prompt)).setModel(response.model())
        .setPromptTokens(response.usage().promptTokens()).setCompletionTokens(response.usage().completionTokens())
        .setWrittenAt(at).setSource(SOURCE_LLM)
        .setDetail("finish_reason=" + response.finishReason() + ", attempts=" + response.attempts())
        .setLatencyMs(response.latency().toMillis()).build();
  }

  private static String cap(final String text) {
    return text.length() <= MAX_STORED_CHARS ? text
        : text.substring(0, MAX_STORED_CHARS) + "\n[... " + (text.length() - MAX_STORED_CHARS) + " characters cut]";
  }
}
