package io.r2estream.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tool calling and log-probabilities over real HTTP against {@link ScriptedLlmServer}: the OpenAI request shape
 * ({@code tools}, {@code tool_choice}, assistant {@code tool_calls} and {@code tool} messages in the history,
 * {@code logprobs} / {@code top_logprobs}), the parsed calls and per-token alternatives, and per-call timing.
 */
class LlmToolCallingTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BASH_SCHEMA = "{\"type\":\"object\",\"properties\":{\"cmd\":{\"type\":\"string\"}},"
      + "\"required\":[\"cmd\"]}";
  private static final ToolDefinition BASH = new ToolDefinition("execute_bash", "Run a shell command.", BASH_SCHEMA);
  private static final ToolDefinition FINISH = new ToolDefinition("finish", "Submit the answer.",
      "{\"type\":\"object\",\"properties\":{}}");

  private ScriptedLlmServer server;
  private LlmClient llm;

  @BeforeEach
  void start() {
    server = ScriptedLlmServer.start();
    llm = new LlmClient(LlmConfig.of(server.baseUrl(), "qwen-test", "").withRetries(1, Duration.ofMillis(5),
        Duration.ofMillis(10)).withRequestTimeout(Duration.ofSeconds(10)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static ChatRequest task() {
    return ChatRequest.of(ChatMessage.system("You fix bugs."), ChatMessage.user("Fix issue 7."));
  }

  @Test
  void sendsToolsAndParsesTheCallsTheModelMakes() throws Exception {
    server.enqueue(ScriptedReply.toolCalls("call_1", "execute_bash", "{\"cmd\": \"ls -la\"}")
        .toolCall("call_2", "finish", "{}").usage(300, 40));

    final ChatResponse r = llm.chat(task().withTools(List.of(BASH, FINISH)).withToolChoice(ToolChoice.auto()));

    assertEquals(List.of(new ToolCall("call_1", "execute_bash", "{\"cmd\": \"ls -la\"}"),
        new ToolCall("call_2", "finish", "{}")), r.toolCalls());
    assertEquals("", r.content());
    assertEquals("tool_calls", r.finishReason());
    assertEquals(new TokenUsage(300, 40, 340), r.usage());
    final JsonNode body = server.requests().get(0).json();
    assertEquals(2, body.path("tools").size());
    final JsonNode bash = body.path("tools").get(0);
    assertEquals("function", bash.path("type").asText());
    assertEquals("execute_bash", bash.path("function").path("name").asText());
    assertEquals("Run a shell command.", bash.path("function").path("description").asText());
    assertEquals(JSON.readTree(BASH_SCHEMA), bash.path("function").path("parameters"), "the schema as an object");
    assertEquals("finish", body.path("tools").get(1).path("function").path("name").asText());
    assertEquals("auto", body.path("tool_choice").asText());
    assertFalse(body.has("logprobs"), "not asked for");
  }

  @Test
  void theHistoryCarriesTheAssistantsCallsAndTheToolResults() {
    server.enqueue(ScriptedReply.toolCalls("call_9", "execute_bash", "{\"cmd\":\"pytest -q\"}"),
        ScriptedReply.completion("All tests pass now."));
    final ChatResponse first = llm.chat(task().withTools(List.of(BASH, FINISH)));
    final List<ChatMessage> history = new java.util.ArrayList<>(task().messages());
    history.add(first.toMessage());
    history.add(ChatMessage.tool("call_9", "3 passed in 0.12s"));

    final ChatResponse second = llm.chat(new ChatRequest(history, 0.0, 256).withTools(List.of(BASH, FINISH))
        .withToolChoice(ToolChoice.function("finish")));

    assertEquals("All tests pass now.", second.content());
    assertEquals(List.of(), second.toolCalls());
    final JsonNode messages = server.requests().get(1).json().path("messages");
    assertEquals(4, messages.size());
    final JsonNode assistant = messages.get(2);
    assertEquals("assistant", assistant.path("role").asText());
    assertTrue(assistant.path("content").isNull(), "a calls-only assistant turn has null content: " + assistant);
    final JsonNode call = assistant.path("tool_calls").get(0);
    assertEquals("call_9", call.path("id").asText());
    assertEquals("function", call.path("type").asText());
    assertEquals("execute_bash", call.path("function").path("name").asText());
    assertTrue(call.path("function").path("arguments").isTextual(), "arguments travel as a JSON string");
    assertEquals("{\"cmd\":\"pytest -q\"}", call.path("function").path("arguments").asText());
    final JsonNode tool = messages.get(3);
    assertEquals("tool", tool.path("role").asText());
    assertEquals("call_9", tool.path("tool_call_id").asText());
    assertEquals("3 passed in 0.12s", tool.path("content").asText());
    assertFalse(messages.get(1).has("tool_call_id"), "only tool messages name a call");
    assertFalse(messages.get(1).has("tool_calls"));
    final JsonNode choice = server.requests().get(1).json().path("tool_choice");
    assertEquals("function", choice.path("type").asText());
    assertEquals("finish", choice.path("function").path("name").asText());
  }

  @Test
  void asksForTopLogprobsAndParsesEveryTokensAlternatives() {
    final Map<String, Double> first = new LinkedHashMap<>();
    first.put("YES", -0.105);
    first.put("NO", -2.5);
    first.put(" yes", -4.0);
    server.enqueue(ScriptedReply.completion("YES.").tokenLogprob("YES", -0.105, first)
        .tokenLogprob(".", -0.01, Map.of(".", -0.01)));

    final ChatResponse r = llm.chat(task().withLogprobs(3).withMaxTokens(2));

    final JsonNode body = server.requests().get(0).json();
    assertTrue(body.path("logprobs").asBoolean());
    assertEquals(3, body.path("top_logprobs").asInt());
    assertFalse(body.has("tools"));
    assertFalse(body.has("tool_choice"));
    assertEquals(2, r.logprobs().size());
    final TokenLogprob yes = r.logprobs().get(0);
    assertEquals("YES", yes.token());
    assertEquals(-0.105, yes.logprob(), 1e-12);
    assertEquals(List.of(new TokenLogprob.Alternative("YES", -0.105), new TokenLogprob.Alternative("NO", -2.5),
        new TokenLogprob.Alternative(" yes", -4.0)), yes.top(), "most likely first, as sent");
    assertEquals(Math.exp(-0.105) + Math.exp(-4.0), yes.probability(t -> t.strip().equalsIgnoreCase("yes")), 1e-12);
    assertEquals(Math.exp(-2.5), yes.probability("NO"::equals), 1e-12);
    assertEquals(".", r.logprobs().get(1).token());
  }

  @Test
  void logprobsOfTheGeneratedTokensAloneSendNoTopLogprobs() {
    server.enqueue(ScriptedReply.completion("NO").tokenLogprob("NO", -0.7, Map.of()));

    final ChatResponse r = llm.chat(task().withLogprobs(0));

    final JsonNode body = server.requests().get(0).json();
    assertTrue(body.path("logprobs").asBoolean());
    assertFalse(body.has("top_logprobs"));
    assertEquals(List.of(), r.logprobs().get(0).top());
    assertEquals(Math.exp(-0.7), r.logprobs().get(0).probability("NO"::equals), 1e-12);
    assertEquals(0.0, r.logprobs().get(0).probability("YES"::equals));
  }

  @Test
  void argumentsSentAsAnObjectAreKeptAsItsJsonText() {
    server.enqueue(ScriptedReply.toolCalls("c1", "execute_bash", "").edit(b -> {
      final ObjectNode function = (ObjectNode) b.path("choices").get(0).path("message").path("tool_calls").get(0)
          .path("function");
      function.putObject("arguments").put("cmd", "ls");
    }));

    assertEquals(new ToolCall("c1", "execute_bash", "{\"cmd\":\"ls\"}"), llm.chat(task()).toolCalls().get(0));
  }

  @Test
  void aToolCallWithoutAFunctionNameIsAnUnreadableResponseNotRetried() {
    server.enqueue(ScriptedReply.toolCalls("c1", "execute_bash", "{}").edit(b ->
        ((ObjectNode) b.path("choices").get(0).path("message").path("tool_calls").get(0).path("function"))
            .remove("name")));

    final LlmException e = assertThrows(LlmException.class, () -> llm.chat(task()));

    assertTrue(e.getMessage().contains("tool call without a function name"), e.getMessage());
    assertEquals(1, server.requestCount());
    assertEquals(new LlmStats(0, 1, 0, 0, 0), llm.stats());
  }

  @Test
  void serverLatencyIsTheAnsweringExchangeAndLatencyTheWholeCall() {
    final Duration slow = Duration.ofMillis(150);
    server.enqueue(ScriptedReply.error(503, "warming up").delayed(slow),
        ScriptedReply.completion("ok").delayed(slow).usage(7, 3));

    final ChatResponse r = llm.chat(task());

    assertEquals(2, r.attempts());
    assertTrue(r.serverLatency().compareTo(slow) >= 0, "server latency " + r.serverLatency());
    assertTrue(r.latency().compareTo(r.serverLatency().plus(slow)) >= 0,
        "the whole call includes the failed attempt: " + r.latency() + " vs " + r.serverLatency());
    assertEquals(new TokenUsage(7, 3, 10), r.usage());
  }

  @Test
  void malformedToolingRequestsFailBeforeAnyCall() {
    assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "out"), "a tool message needs an id");
    assertThrows(IllegalArgumentException.class, () -> new ChatMessage("user", "x",
        List.of(new ToolCall("c", "f", "{}")), null), "only assistants call tools");
    assertThrows(IllegalArgumentException.class, () -> task().withToolChoice(ToolChoice.required()),
        "required with no tools");
    assertThrows(IllegalArgumentException.class, () -> task().withTools(List.of(BASH))
        .withToolChoice(ToolChoice.function("finish")), "a named choice must be one of the tools");
    assertThrows(IllegalArgumentException.class, () -> new ToolDefinition("bash", "d", "[1]"), "schema not an object");
    assertThrows(IllegalArgumentException.class, () -> new ToolDefinition("bad name", "d", "{}"));
    assertThrows(IllegalArgumentException.class, () -> task().withLogprobs(21));
    assertThrows(IllegalArgumentException.class, () -> new ToolChoice("function", null));
    assertEquals(0, server.requestCount());
  }
}
