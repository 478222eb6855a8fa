package io.r2estream.verifier.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.config.ConfigKeys;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.verifier.judge.Trajectories.Step;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The judge over real HTTP against a scripted model: the request it sends and the score it makes of each answer. */
class JudgeTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private final ScriptedLlmServer server = ScriptedLlmServer.start();
  private final Trajectory trajectory = Trajectories.of("acme@1/run-1/3", "acme@1", "x should be 2", "",
      new Step("I will fix it.", "<function=finish>\n</function>", "ok"));

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void asksAtTemperatureZeroForTwentyTopLogprobsAndScoresFromThem() {
    server.enqueue(ScriptedReply.completion("<judgement>YES</judgement>").usage(1234, 7)
        .edit(b -> b.put("model", "judge-14b"))
        .tokenLogprob("<judgement>", -0.001, Map.of("<judgement>", -0.001))
        .tokenLogprob("YES", Math.log(0.75), Map.of("YES", Math.log(0.75), "NO", Math.log(0.25)))
        .tokenLogprob("</judgement>", -0.001, Map.of()));

    final JudgeScore s = judge().score(trajectory);

    final JsonNode request = server.requests().get(0).json();
    assertEquals(0.0, request.path("temperature").asDouble(-1));
    assertTrue(request.path("logprobs").asBoolean(false), request.toString());
    assertEquals(20, request.path("top_logprobs").asInt());
    assertEquals("system", request.path("messages").get(0).path("role").asText());
    assertEquals(JudgePrompt.standard().system(), request.path("messages").get(0).path("content").asText());
    assertTrue(request.path("messages").get(1).path("content").asText().contains("[USER]\nok\n[/USER]"));

    assertEquals("acme@1/run-1/3", s.getCandidateId());
    assertEquals("acme@1", s.getTaskId());
    assertEquals("judge-14b", s.getModel());
    assertEquals(0.75, s.getPYes(), 1e-9);
    assertEquals(Math.log(0.25), s.getLogprobNo(), 1e-9);
    assertEquals(GradeStatus.PASS, s.getStatus());
    assertEquals(Verdict.SOURCE_LOGPROBS, s.getSource());
    assertEquals(1234, s.getPromptTokens());
    assertEquals(7, s.getCompletionTokens());
    assertEquals(0, s.getCondensed());
    assertEquals(NOW, s.getScoredAt());
    assertTrue(s.getLatencyMs() >= 0);
  }

  @Test
  void withoutLogprobsTheWrittenVerdictCountsAndTheScoreSaysSo() {
    server.enqueue(ScriptedReply.completion("<judgement>NO</judgement>"));
    final JudgeScore s = judge().score(trajectory);
    assertEquals(0.0, s.getPYes());
    assertEquals(GradeStatus.FAIL, s.getStatus());
    assertEquals(Verdict.SOURCE_VERDICT_TEXT, s.getSource());
    assertEquals("the endpoint returned no logprobs; verdict read from the text: NO", s.getDetail());
  }

  @Test
  void anUnreadableAnswerIsAnErrorWithoutPYes() {
    server.enqueue(ScriptedReply.completion("Looks good to me!"));
    final JudgeScore s = judge().score(trajectory);
    assertEquals(GradeStatus.ERROR, s.getStatus());
    assertNull(s.getPYes());
    assertEquals("", s.getSource());
    assertTrue(s.getDetail().contains("'Looks good to me!'"), s.getDetail());
  }

  @Test
  void aRefusedRequestIsAnErrorAndNoAnswerIsAnInfrastructureError() {
    server.enqueue(ScriptedReply.error(400, "maximum context length is 32768 tokens"),
        ScriptedReply.error(503, "overloaded"));
    final Judge judge = judge();
    final JudgeScore refused = judge.score(trajectory);
    assertEquals(GradeStatus.ERROR, refused.getStatus());
    assertNull(refused.getPYes());
    assertTrue(refused.getDetail().contains("maximum context length"), refused.getDetail());
    final JudgeScore down = judge.score(trajectory);
    assertEquals(GradeStatus.INFRA_ERROR, down.getStatus());
    assertTrue(down.getDetail().contains("HTTP 503"), down.getDetail());
  }

  @Test
  void aCondensedMessageIsCountedInTheScore() {
    server.enqueue(ScriptedReply.completion("<judgement>YES</judgement>"));
    final Trajectory longOne = Trajectories.of("acme@1/run-1/4", "acme@1", "p", "",
        new Step("plan", "a0", "o0"), new Step(Trajectories.repeat('t', 40_000), "a1", "o1"));
    final JudgeScore s = new Judge(new LlmClient(llm()), JudgePrompt.standard(), 8_000, 64,
        Clock.fixed(NOW, ZoneOffset.UTC)).score(longOne);
    assertEquals(1, s.getCondensed());
    assertTrue(s.getDetail().contains("condensed 1 thought(s) and 0 observation(s)"), s.getDetail());
    assertTrue(server.requests().get(0).lastMessageContent().contains(JudgeInput.CONDENSED_THOUGHT));
    assertEquals(64, server.requests().get(0).json().path("max_completion_tokens").asInt());
  }

  @Test
  void configDefaultsToThePlatformLlmAndCanPointElsewhere() {
    final JudgeConfig defaults = JudgeConfig.from(Map.of(ConfigKeys.LLM_BASE_URL, "http://llm:8000/v1",
        ConfigKeys.LLM_MODEL, "agent-model"), Map.of());
    assertTrue(defaults.enabled());
    assertEquals(JudgeConfig.DEFAULT_CONCURRENCY, defaults.concurrency());
    assertEquals("r2e-judge", defaults.groupId());
    assertEquals("http://llm:8000/v1", defaults.llm().baseUrl());
    assertEquals("agent-model", defaults.llm().model());
    assertEquals(65_536, defaults.maxContextTokens());
    assertEquals(JudgeConfig.DEFAULT_MAX_TOKENS, defaults.maxTokens());

    final JudgeConfig own = JudgeConfig.from(Map.of(ConfigKeys.LLM_BASE_URL, "http://llm:8000/v1",
        JudgeConfig.BASE_URL_CONFIG, "http://judge:9000/v1/", JudgeConfig.MODEL_CONFIG, "verifier",
        JudgeConfig.CONCURRENCY_CONFIG, "3", JudgeConfig.MAX_CONTEXT_TOKENS_CONFIG, "32768",
        JudgeConfig.ENABLED_CONFIG, "false"), Map.of());
    assertEquals("http://judge:9000/v1", own.llm().baseUrl());
    assertEquals("verifier", own.llm().model());
    assertEquals(3, own.concurrency());
    assertEquals(3, own.llm().maxConcurrency());
    assertEquals(32_768, own.maxContextTokens());
    assertTrue(!own.enabled());
    assertTrue(!JudgeConfig.from(Map.of(), Map.of()).llm().configured());
  }

  private Judge judge() {
    return Judge.of(new LlmClient(llm()), JudgeConfig.from(Map.of(
        ConfigKeys.LLM_BASE_URL, server.baseUrl()), Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private LlmConfig llm() {
    return LlmConfig.of(server.baseUrl(), "judge", "").withRetries(0, java.time.Duration.ZERO,
        java.time.Duration.ZERO);
  }
}
