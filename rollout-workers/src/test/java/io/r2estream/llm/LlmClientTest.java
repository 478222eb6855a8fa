package io.r2estream.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.testkit.llm.RecordedRequest;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM client over real HTTP against {@link ScriptedLlmServer}: bodies, retries, timeouts, limits, secrets. */
class LlmClientTest {

  private static final String KEY = "sk-test-SECRET-4242";
  private static final Duration FAST = Duration.ofMillis(10);

  private ScriptedLlmServer server;

  @BeforeEach
  void startServer() {
    server = ScriptedLlmServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private LlmClient client(final int retries) {
    return new LlmClient(LlmConfig.of(server.baseUrl(), "qwen-test", KEY).withRetries(retries, FAST, FAST.multipliedBy(2))
        .withRequestTimeout(Duration.ofSeconds(10)));
  }

  private static ChatRequest hello() {
    return ChatRequest.of(ChatMessage.system("be brief"), ChatMessage.user("hello")).withMaxTokens(64)
        .withTemperature(0.2);
  }

  @Test
  void sendsTheOpenAiRequestAndCountsTokens() {
    server.enqueue(ScriptedReply.completion("first").usage(120, 30),
        ScriptedReply.completion("second").usage(80, 20).finishReason("length"));
    final LlmClient llm = client(0);

    final ChatResponse first = llm.chat(hello());
    final ChatResponse second = llm.chat(hello());

    assertEquals("first", first.content());
    assertEquals("stop", first.finishReason());
    assertEquals(new TokenUsage(120, 30, 150), first.usage());
    assertEquals("qwen-test", first.model());
    assertEquals(1, first.attempts());
    assertEquals("length", second.finishReason());
    assertEquals(new LlmStats(2, 0, 0, 200, 50), llm.stats());
    final RecordedRequest sent = server.requests().get(0);
    assertEquals("/v1/chat/completions", sent.path());
    assertEquals("POST", sent.method());
    final JsonNode body = sent.json();
    assertEquals("qwen-test", body.path("model").asText());
    assertEquals(2, body.path("messages").size());
    assertEquals("system", body.path("messages").get(0).path("role").asText());
    assertEquals("hello", body.path("messages").get(1).path("content").asText());
    assertEquals(64, body.path("max_completion_tokens").asInt());
    assertEquals(0.2, body.path("temperature").asDouble(), 1e-9);
  }

  @Test
  void omitsUnsetSamplingFieldsAndToleratesMissingUsage() {
    server.enqueue(ScriptedReply.completion("x").withoutUsage());
    final LlmClient llm = client(0);

    final ChatResponse r = llm.chat(ChatRequest.of(ChatMessage.user("hi")));

    assertEquals(TokenUsage.UNKNOWN, r.usage());
    assertEquals(new LlmStats(1, 0, 0, 0, 0), llm.stats());
    final JsonNode body = server.requests().get(0).json();
    assertFalse(body.has("temperature"));
    assertFalse(body.has("max_completion_tokens"));
  }

  @Test
  void retriesA429HonouringRetryAfter() {
    server.enqueue(ScriptedReply.error(429, "slow down").retryAfterSeconds(1), ScriptedReply.completion("done"));
    final LlmClient llm = client(3);

    final ChatResponse r = llm.chat(hello());

    assertEquals("done", r.content());
    assertEquals(2, r.attempts());
    assertEquals(2, server.requestCount());
    final Duration gap = Duration.between(server.requests().get(0).receivedAt(), server.requests().get(1).receivedAt());
    // The computed backoff is at most 20 ms here: a gap near one second can only come from Retry-After.
    assertTrue(gap.toMillis() >= 950, "second attempt came " + gap.toMillis() + " ms after the 429");
    assertEquals(new LlmStats(1, 0, 1, 10, 5), llm.stats());
  }

  @Test
  void exhaustedServerErrorsFailWithTheLastStatus() {
    server.enqueue(ScriptedReply.error(500, "boom 1"), ScriptedReply.error(502, "boom 2"),
        ScriptedReply.error(500, "boom 3"));
    final LlmClient llm = client(2);

    final LlmException e = assertThrows(LlmException.class, () -> llm.chat(hello()));

    assertEquals(500, e.status());
    assertEquals(3, e.attempts());
    assertTrue(e.getMessage().contains("failed after 3 attempt(s)"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("boom 3"), e.getMessage());
    assertEquals(3, server.requestCount());
    assertEquals(new LlmStats(0, 1, 2, 0, 0), llm.stats());
  }

  @Test
  void clientErrorsAreNotRetried() {
    server.enqueue(ScriptedReply.error(400, "model qwen-test does not exist"), ScriptedReply.completion("never"));
    final LlmClient llm = client(3);

    final LlmException e = assertThrows(LlmException.class, () -> llm.chat(hello()));

    assertEquals(400, e.status());
    assertEquals(1, server.requestCount());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void unreadableSuccessBodyFailsWithoutRetry() {
    server.enqueue(ScriptedReply.raw(200, "<html>gateway says hi</html>"), ScriptedReply.completion("never"));
    final LlmClient llm = client(3);

    final LlmException e = assertThrows(LlmException.class, () -> llm.chat(hello()));

    assertTrue(e.getMessage().contains("is not JSON") && e.getMessage().contains("gateway says hi"), e.getMessage());
    assertEquals(1, server.requestCount());
  }

  @Test
  void slowServerTimesOutAndIsRetriedOnce() {
    final CountDownLatch never = new CountDownLatch(1);
    server.enqueue(ScriptedReply.completion("late").heldUntil(never), ScriptedReply.completion("late").heldUntil(never));
    final LlmClient llm = new LlmClient(LlmConfig.of(server.baseUrl(), "m", "")
        .withRequestTimeout(Duration.ofMillis(300)).withRetries(1, FAST, FAST));
    try {
      final long start = System.nanoTime();
      final LlmException e = assertThrows(LlmException.class, () -> llm.chat(hello()));
      final long tookMs = (System.nanoTime() - start) / 1_000_000;

      assertEquals(-1, e.status());
      assertEquals(2, e.attempts());
      assertTrue(e.getMessage().contains("request timeout of PT0.3S"), e.getMessage());
      assertEquals(2, server.requestCount());
      assertTrue(tookMs >= 600 && tookMs < 5_000, "two 300 ms timeouts took " + tookMs + " ms");
    } finally {
      never.countDown();
    }
  }

  @Test
  void neverExceedsTheConcurrencyLimit() throws Exception {
    server.otherwise(r -> ScriptedReply.completion("ok " + r.index()).delayed(Duration.ofMillis(150)));
    final LlmClient llm = new LlmClient(LlmConfig.of(server.baseUrl(), "m", "").withMaxConcurrency(2));
    final ExecutorService callers = Executors.newFixedThreadPool(6);
    try {
      final List<Future<ChatResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(callers.submit(() -> llm.chat(hello())));
      }
      for (final Future<ChatResponse> f : calls) {
        assertTrue(f.get().content().startsWith("ok "));
      }
    } finally {
      callers.shutdownNow();
    }
    assertEquals(6, server.requestCount());
    // Six callers at once: without the limit the 150 ms answers would overlap up to six deep.
    assertEquals(2, server.maxInFlight());
    assertEquals(6, llm.stats().calls());
  }

  @Test
  void apiKeyIsSentAsBearerAndScrubbedFromErrors() {
    server.otherwise(r -> ScriptedReply.error(401, "bad credentials in header '" + r.header("Authorization") + "'"));
    final LlmClient llm = client(0);

    final LlmException e = assertThrows(LlmException.class, () -> llm.chat(hello()));

    assertEquals("Bearer " + KEY, server.requests().get(0).header("authorization"));
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
    assertTrue(e.getMessage().contains("Bearer ***"), e.getMessage());
    assertFalse(llm.config().toString().contains(KEY));
  }

  @Test
  void noKeyMeansNoAuthorizationHeader() {
    server.enqueue(ScriptedReply.completion("ok"));
    new LlmClient(LlmConfig.of(server.baseUrl() + "/", "m", "")).chat(hello());

    assertEquals(null, server.requests().get(0).header("Authorization"));
    assertEquals("/v1/chat/completions", server.requests().get(0).path());
  }
}
