package io.r2estream.testkit.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * One scripted answer of {@link ScriptedLlmServer}: an HTTP status, headers, a body and an optional wait before
 * answering. Immutable: every modifier returns a copy, so one reply can be handed out many times.
 *
 * <p>Completions are built as a Jackson {@link ObjectNode} in the OpenAI chat-completion shape; tool calls
 * ({@link #toolCall}) and token log-probabilities ({@link #tokenLogprob}) are fields added through
 * {@link #edit(Consumer)}, not new reply types.
 */
public final class ScriptedReply {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** How long a held reply waits for its latch at most, so that a forgotten latch cannot hang a test forever. */
  private static final Duration MAX_HOLD = Duration.ofSeconds(60);

  private final int status;
  private final Map<String, String> headers;
  private final ObjectNode json;
  private final String raw;
  private final Duration delay;
  private final CountDownLatch hold;

  private ScriptedReply(final int status, final Map<String, String> headers, final ObjectNode json, final String raw,
      final Duration delay, final CountDownLatch hold) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.json = json;
    this.raw = raw;
    this.delay = delay;
    this.hold = hold;
  }

  /** A 200 chat completion whose assistant message is {@code content}; usage 10 + 5 tokens, finish reason stop. */
  public static ScriptedReply completion(final String content) {
    final ObjectNode body = JSON.createObjectNode();
    body.put("object", "chat.completion");
    final ObjectNode choice = body.putArray("choices").addObject();
    choice.put("index", 0);
    final ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", content);
    choice.put("finish_reason", "stop");
    return new ScriptedReply(200, Map.of(), body, null, Duration.ZERO, null).usage(10, 5);
  }

  /** An OpenAI-style error body ({@code {"error":{"message":..,"type":..,"code":status}}}) with that status. */
  public static ScriptedReply error(final int status, final String message) {
    final ObjectNode body = JSON.createObjectNode();
    final ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", status == 429 ? "rate_limit_exceeded" : "server_error");
    error.put("code", status);
    return new ScriptedReply(status, Map.of(), body, null, Duration.ZERO, null);
  }

  /** A body sent verbatim (garbage, HTML error pages, truncated JSON). */
  public static ScriptedReply raw(final int status, final String body) {
    return new ScriptedReply(status, Map.of(), null, Objects.requireNonNull(body, "body"), Duration.ZERO, null);
  }

  /** Sets {@code usage} (total = prompt + completion). */
  public ScriptedReply usage(final int promptTokens, final int completionTokens) {
    return edit(b -> {
      final ObjectNode usage = b.putObject("usage");
      usage.put("prompt_tokens", promptTokens);
      usage.put("completion_tokens", completionTokens);
      usage.put("total_tokens", promptTokens + completionTokens);
    });
  }

  /** Removes {@code usage}, as some servers do. */
  public ScriptedReply withoutUsage() {
    return edit(b -> b.remove("usage"));
  }

  public ScriptedReply finishReason(final String reason) {
    return edit(b -> ((ObjectNode) b.path("choices").get(0)).put("finish_reason", reason));
  }

  /**
   * Adds a function call to the assistant message ({@code message.tool_calls[]}, arguments sent as a JSON string,
   * as OpenAI does), sets {@code content} to null when it was "" and the finish reason to {@code tool_calls}.
   * Call it once per call, in order.
   */
  public ScriptedReply toolCall(final String id, final String function, final String arguments) {
    return edit(b -> {
      final ObjectNode message = (ObjectNode) b.path("choices").get(0).path("message");
      final ArrayNode calls = message.has("tool_calls") ? (ArrayNode) message.get("tool_calls")
          : message.putArray("tool_calls");
      final ObjectNode call = calls.addObject();
      call.put("id", id);
      call.put("type", "function");
      call.putObject("function").put("name", function).put("arguments", arguments);
      if (message.path("content").asText("").isEmpty()) {
        message.putNull("content");
      }
      ((ObjectNode) b.path("choices").get(0)).put("finish_reason", "tool_calls");
    });
  }

  /** A completion that only calls one function, with no text. */
  public static ScriptedReply toolCalls(final String id, final String function, final String arguments) {
    return completion("").toolCall(id, function, arguments);
  }

  /**
   * Appends a generated token to {@code choices[0].logprobs.content} with its log-probability and the most likely
   * tokens at its position ({@code top}, in iteration order, most likely first; empty = no {@code top_logprobs}).
   */
  public ScriptedReply tokenLogprob(final String token, final double logprob, final Map<String, Double> top) {
    return edit(b -> {
      final ObjectNode choice = (ObjectNode) b.path("choices").get(0);
      final ObjectNode logprobs = choice.path("logprobs").isObject() ? (ObjectNode) choice.get("logprobs")
          : choice.putObject("logprobs");
      final ArrayNode content = logprobs.has("content") ? (ArrayNode) logprobs.get("content")
          : logprobs.putArray("content");
      final ObjectNode entry = content.addObject();
      entry.put("token", token);
      entry.put("logprob", logprob);
      entry.set("bytes", bytes(token));
      final ArrayNode alternatives = entry.putArray("top_logprobs");
      top.forEach((t, lp) -> {
        final ObjectNode a = alternatives.addObject();
        a.put("token", t);
        a.put("logprob", lp);
        a.set("bytes", bytes(t));
      });
    });
  }

  private static ArrayNode bytes(final String token) {
    final ArrayNode out = JSON.createArrayNode();
    for (final byte x : token.getBytes(StandardCharsets.UTF_8)) {
      out.add(x & 0xff);
    }
    return out;
  }

  /** Changes the JSON body of a copy; fails on a {@link #raw} reply. */
  public ScriptedReply edit(final Consumer<ObjectNode> change) {
    if (json == null) {
      throw new IllegalStateException("a raw reply has no JSON body to edit");
    }
    final ObjectNode copy = json.deepCopy();
    change.accept(copy);
    return new ScriptedReply(status, headers, copy, raw, delay, hold);
  }

  public ScriptedReply header(final String name, final String value) {
    final Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new ScriptedReply(status, h, json, raw, delay, hold);
  }

  /** Adds {@code Retry-After} in whole seconds. */
  public ScriptedReply retryAfterSeconds(final long seconds) {
    return header("Retry-After", Long.toString(seconds));
  }

  /** The server waits this long before answering (the handler thread sleeps; the client sees a slow server). */
  public ScriptedReply delayed(final Duration wait) {
    return new ScriptedReply(status, headers, json, raw, Objects.requireNonNull(wait, "wait"), hold);
  }

  /** The server answers only once {@code latch} is open (or after a 60 s safety cap, or when it closes). */
  public ScriptedReply heldUntil(final CountDownLatch latch) {
    return new ScriptedReply(status, headers, json, raw, delay, Objects.requireNonNull(latch, "latch"));
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  Duration delay() {
    return delay;
  }

  CountDownLatch hold() {
    return hold;
  }

  static Duration maxHold() {
    return MAX_HOLD;
  }

  /** The body to send for request number {@code index} (completion ids and the model are filled in per request). */
  String body(final int index, final String requestedModel) {
    if (raw != null) {
      return raw;
    }
    final ObjectNode body = json.deepCopy();
    if (body.has("choices")) {
      if (!body.has("id")) {
        body.put("id", "chatcmpl-scripted-" + index);
      }
      if (!body.has("created")) {
        body.put("created", System.currentTimeMillis() / 1000);
      }
      if (!body.has("model")) {
        body.put("model", requestedModel == null ? "scripted" : requestedModel);
      }
    }
    return body.toString();
  }

  /** The JSON body as scripted (a copy), or null for a raw reply. */
  public ObjectNode json() {
    return json == null ? null : json.deepCopy();
  }
}
