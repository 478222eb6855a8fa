package io.r2estream.backtranslation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One statement at a time against a scripted LLM over HTTP: the issue, and every fallback with its reason. */
class BackTranslationTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  private ScriptedLlmServer server;
  private BackTranslation translation;

  @BeforeEach
  void start() {
    server = ScriptedLlmServer.start();
    final LlmClient llm = new LlmClient(LlmConfig.of(server.baseUrl(), "issue-writer", "sk-x")
        .withRetries(1, Duration.ofMillis(5), Duration.ofMillis(10)));
    translation = new BackTranslation(Optional.of(llm), 4000, 0.7, CLOCK);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theLlmIssueBecomesTheStatement() {
    final String completion = "The tests add hours and minutes.\n[ISSUE]\nTitle: parse_duration drops hours\n\n"
        + "```python\nparse_duration(\"1h30m\")\n```\n[/ISSUE]";
    server.enqueue(ScriptedReply.completion(completion).usage(2100, 340));

    final ProblemStatement s = translation.statementFor(Validations.better("acme/timekit@c0ffee"));

    assertEquals("acme/timekit@c0ffee", s.getTaskId());
    assertEquals("Title: parse_duration drops hours\n\n```python\nparse_duration(\"1h30m\")\n```",
        s.getProblemStatement());
    assertEquals(ProblemStatements.SOURCE_LLM, s.getSource());
    assertEquals(completion, s.getRawCompletion());
    assertEquals("issue-writer", s.getModel());
    assertEquals(2100, s.getPromptTokens());
    assertEquals(340, s.getCompletionTokens());
    assertEquals(NOW, s.getWrittenAt());
    assertEquals("finish_reason=stop, attempts=1", s.getDetail());
    assertTrue(s.getLatencyMs() >= 0);
    final String sent = server.requests().get(0).lastMessageContent();
    assertEquals(BackTranslationPrompt.build(Validations.better("acme/timekit@c0ffee")), sent);
    assertEquals(sent, s.getPrompt());
    assertEquals(4000, server.requests().get(0).json().path("max_completion_tokens").asInt());
    assertEquals(0.7, server.requests().get(0).json().path("temperature").asDouble(), 1e-9);
  }

  @Test
  void aCompletionWithoutIssueFallsBackToTheCommitMessage() {
    server.enqueue(ScriptedReply.completion("I would rather not.").finishReason("length"));

    final ProblemStatement s = translation.statementFor(Validations.better("t@1"));

    assertEquals(ProblemStatements.SOURCE_COMMIT_MESSAGE, s.getSource());
    assertEquals(Validations.MESSAGE.strip(), s.getProblemStatement());
    assertEquals("LLM completion has no [ISSUE] block (finish_reason=length, 19 characters)", s.getDetail());
    assertEquals("I would rather not.", s.getRawCompletion());
    assertTrue(s.getPrompt().contains("## Writing rules"));
  }

  @Test
  void anLlmThatKeepsFailingFallsBackWithTheError() {
    server.enqueue(ScriptedReply.error(503, "overloaded"), ScriptedReply.error(503, "still overloaded"));

    final ProblemStatement s = translation.statementFor(Validations.better("t@2"));

    assertEquals(ProblemStatements.SOURCE_COMMIT_MESSAGE, s.getSource());
    assertTrue(s.getDetail().startsWith("LLM call failed: LLM call to " + server.baseUrl()
        + "/chat/completions failed after 2 attempt(s); last: HTTP 503"), s.getDetail());
    assertTrue(s.getDetail().contains("still overloaded"), s.getDetail());
    assertEquals(2, server.requestCount());
  }

  @Test
  void withoutAnLlmTheCommitMessageIsUsedAndSaysSo() {
    final BackTranslation none = new BackTranslation(Optional.empty(), 4000, null, CLOCK);

    final ProblemStatement s = none.statementFor(Validations.better("t@3"));

    assertEquals(ProblemStatements.SOURCE_COMMIT_MESSAGE, s.getSource());
    assertEquals(BackTranslation.NO_LLM, s.getDetail());
    assertEquals(Validations.MESSAGE.strip(), s.getProblemStatement());
    assertEquals(-1, s.getPromptTokens());
    assertEquals(0, server.requestCount());
  }

  @Test
  void anEmptyCommitMessageNamesTheTestsToFix() {
    final ProblemStatement s = ProblemStatements.fromCommitMessage(
        Validations.validation("t@4", ValidationStatus.NEW_COMMIT_BETTER, "  "), "no LLM configured", NOW);

    assertTrue(s.getProblemStatement().startsWith("Commit c0ffee of acme/timekit has no message."),
        s.getProblemStatement());
    assertTrue(s.getProblemStatement().endsWith(String.join(", ", Validations.F2P)));
  }
}
