package io.r2estream.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of an OpenAI-compatible chat completions API (vLLM, OpenAI, LiteLLM proxies), shared by every worker that
 * calls a model. One instance is safe for concurrent use and limits the requests it has in flight
 * ({@link LlmConfig#maxConcurrency()}); a permit is held only during an HTTP exchange, never while backing off.
 *
 * <p>Failures: 429, 5xx and I/O errors (timeouts included) are retried up to {@link LlmConfig#maxRetries()} times
 * with exponential backoff and jitter, waiting at least what a {@code Retry-After} header asks (up to
 * {@link LlmConfig#MAX_RETRY_AFTER}); other statuses and unreadable 2xx bodies fail at once. The API key is sent as a
 * bearer token and scrubbed from every exception message and log line, even when a server echoes it.
 *
 * <p>Metrics: the tokens each completion's {@code usage} reports go to {@code r2e.llm.tokens} (kind = prompt or
 * completion) and every call's duration to {@code r2e.llm.call.duration}, both tagged with the client's role.
 */
public final class LlmClient {

  private static final Logger LOG = LoggerFactory.getLogger(LlmClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Characters of an error body quoted in exception messages. */
  private static final int BODY_SNIPPET = 300;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final LlmConfig config;
  private final HttpClient http;
  private final URI endpoint;
  private final Semaphore permits;
  private final LongAdder calls = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder promptTokens = new LongAdder();
  private final LongAdder completionTokens = new LongAdder();
  private final Counter promptTokenMeter;
  private final Counter completionTokenMeter;
  private final Timer succeeded;
  private final Timer failed;

  /** The role of a client built without one. */
  public static final String DEFAULT_ROLE = "llm";

  /** A client whose meters are tagged with role {@link #DEFAULT_ROLE}. */
  public LlmClient(final LlmConfig config) {
    this(config, DEFAULT_ROLE);
  }

  /** @param role who calls, for the meters: agent, judge, testgen, backtranslation */
  public LlmClient(final LlmConfig config, final String role) {
    this(config, role, R2eMetrics.registry());
  }

  public LlmClient(final LlmConfig config, final String role, final MeterRegistry meters) {
    if (!config.configured()) {
      throw new IllegalArgumentException("no LLM base URL configured: " + config);
    }
    this.config = config;
    this.endpoint = URI.create(config.chatCompletionsUrl());
    this.permits = new Semaphore(config.maxConcurrency(), true);
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT.compareTo(config.requestTimeout()) < 0 ? CONNECT_TIMEOUT
            : config.requestTimeout())
        .build();
    this.promptTokenMeter = tokens(meters, role, MeterNames.KIND_PROMPT);
    this.completionTokenMeter = tokens(meters, role, MeterNames.KIND_COMPLETION);
    this.succeeded = R2eMetrics.timer(meters, MeterNames.LLM_CALL_DURATION, MeterNames.ROLE, role,
        MeterNames.OUTCOME, MeterNames.OUTCOME_SUCCESS);
    this.failed = R2eMetrics.timer(meters, MeterNames.LLM_CALL_DURATION, MeterNames.ROLE, role,
        MeterNames.OUTCOME, MeterNames.OUTCOME_FAILURE);
  }

  private static Counter tokens(final MeterRegistry meters, final String role, final String kind) {
    return Counter.builder(MeterNames.LLM_TOKENS).description("LLM tokens as the server's usage reported them")
        .tags(MeterNames.KIND, kind, MeterNames.ROLE, role).register(meters);
  }

  public LlmConfig config() {
    return config;
  }

  /** Cumulative calls, failures, retries and tokens of this client. */
  public LlmStats stats() {
    return new LlmStats(calls.sum(), failures.sum(), retries.sum(), promptTokens.sum(), completionTokens.sum());
  }

  /**
   * Sends one chat completion request, retrying as described above.
   *
   * @throws LlmException when no completion could be obtained
   */
  public ChatResponse chat(final ChatRequest request) {
    final long started = System.nanoTime();
    try {
      final ChatResponse response = attempts(request);
      succeeded.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
      return response;
    } catch (RuntimeException e) {
      failed.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
      throw e;
    }
  }

  private ChatResponse attempts(final ChatRequest request) {
    final HttpRequest httpRequest = httpRequest(encode(request));
    final long start = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      String why;
      Duration wait = backoff(attempt);
      int status = -1;
      IOException ioError = null;
      try {
        final long sent = System.nanoTime();
        final HttpResponse<String> response = exchange(httpRequest, attempt);
        final long answered = System.nanoTime();
        status = response.statusCode();
        if (status / 100 == 2) {
          return success(response.body(), Duration.ofNanos(answered - start), attempt,
              Duration.ofNanos(answered - sent));
        }
        why = "HTTP " + status + ": " + snippet(response.body());
        if (!retryable(status)) {
          throw failure("LLM call to " + endpoint + " was refused with " + why, status, attempt, null);
        }
        final Optional<Duration> retryAfter = retryAfter(response);
        if (retryAfter.isPresent() && retryAfter.get().compareTo(wait) > 0) {
          wait = retryAfter.get();
        }
      } catch (HttpTimeoutException e) {
        why = "no answer within the request timeout of " + config.requestTimeout();
        ioError = e;
      } catch (IOException e) {
        why = "I/O error " + e.getClass().getSimpleName() + ": " + e.getMessage();
        ioError = e;
      }
      if (attempt > config.maxRetries()) {
        throw failure("LLM call to " + endpoint + " failed after " + attempt + " attempt(s); last: " + why, status,
            attempt, ioError);
      }
      retries.increment();
      LOG.warn("LLM attempt {} to {} failed ({}); retrying in {} ms", attempt, endpoint, redact(why), wait.toMillis());
      pause(wait, attempt);
    }
  }

  private HttpResponse<String> exchange(final HttpRequest request, final int attempt) throws IOException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for an LLM request slot", -1, attempt - 1, null);
    }
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted during an LLM request to " + endpoint, -1, attempt, null);
    } finally {
      permits.release();
    }
  }

  private ChatResponse success(final String body, final Duration latency, final int attempts,
      final Duration serverLatency) {
    final JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      // The parser's message quotes the body; it is not chained so that nothing unredacted leaks.
      throw failure("LLM response from " + endpoint + " is not JSON: " + snippet(body), 200, attempts, null);
    }
    final JsonNode choice = root == null ? null : root.path("choices").path(0);
    if (choice == null || !choice.isObject() || !choice.path("message").isObject()) {
      throw failure("LLM response from " + endpoint + " has no choices[0].message: " + snippet(body), 200, attempts,
          null);
    }
    final JsonNode usageNode = root.path("usage");
    final TokenUsage usage = usageNode.isObject()
        ? new TokenUsage(usageNode.path("prompt_tokens").asInt(-1), usageNode.path("completion_tokens").asInt(-1),
            usageNode.path("total_tokens").asInt(-1))
        : TokenUsage.UNKNOWN;
    final List<ToolCall> toolCalls = toolCalls(choice.path("message").path("tool_calls"), attempts);
    calls.increment();
    promptTokens.add(Math.max(0, usage.promptTokens()));
    completionTokens.add(Math.max(0, usage.completionTokens()));
    promptTokenMeter.increment(Math.max(0, usage.promptTokens()));
    completionTokenMeter.increment(Math.max(0, usage.completionTokens()));
    final JsonNode content = choice.path("message").path("content");
    return new ChatResponse(root.path("id").asText(""), root.path("model").asText(config.model()),
        content.isTextual() ? content.asText() : "", choice.path("finish_reason").asText(""), usage, latency,
        attempts, toolCalls, logprobs(choice.path("logprobs").path("content")), serverLatency);
  }

  /** {@code message.tool_calls}: function calls, arguments kept as the text the model wrote. */
  private List<ToolCall> toolCalls(final JsonNode calls, final int attempts) {
    final List<ToolCall> out = new ArrayList<>();
    for (final JsonNode call : calls) {
      final JsonNode function = call.path("function");
      if (!function.path("name").isTextual()) {
        throw failure("LLM response from " + endpoint + " has a tool call without a function name: "
            + snippet(call.toString()), 200, attempts, null);
      }
      final JsonNode arguments = function.path("arguments");
      // OpenAI sends the arguments as a JSON string; a few servers send the object itself.
      out.add(new ToolCall(call.path("id").asText(""), function.path("name").asText(),
          arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() || arguments.isNull() ? ""
              : arguments.toString()));
    }
    return out;
  }

  /** {@code logprobs.content}: each generated token with its top alternatives. */
  private static List<TokenLogprob> logprobs(final JsonNode tokens) {
    final List<TokenLogprob> out = new ArrayList<>();
    for (final JsonNode t : tokens) {
      final List<TokenLogprob.Alternative> top = new ArrayList<>();
      for (final JsonNode a : t.path("top_logprobs")) {
        top.add(new TokenLogprob.Alternative(a.path("token").asText(""), a.path("logprob").asDouble()));
      }
      out.add(new TokenLogprob(t.path("token").asText(""), t.path("logprob").asDouble(), top));
    }
    return out;
  }

  private byte[] encode(final ChatRequest request) {
    final ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    final ArrayNode messages = body.putArray("messages");
    request.messages().forEach(m -> encode(m, messages.addObject()));
    if (!request.tools().isEmpty()) {
      final ArrayNode tools = body.putArray("tools");
      for (final ToolDefinition t : request.tools()) {
        final ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", t.name()).put("description", t.description()).set("parameters", t.parametersJson());
      }
    }
    if (request.toolChoice() != null) {
      if (request.toolChoice().function() == null) {
        body.put("tool_choice", request.toolChoice().mode());
      } else {
        body.putObject("tool_choice").put("type", "function").putObject("function")
            .put("name", request.toolChoice().function());
      }
    }
    if (request.topLogprobs() != null) {
      body.put("logprobs", true);
      if (request.topLogprobs() > 0) {
        body.put("top_logprobs", request.topLogprobs());
      }
    }
    if (request.temperature() != null) {
      body.put("temperature", request.temperature());
    }
    if (request.maxTokens() != null) {
      body.put("max_completion_tokens", request.maxTokens());
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One message; an assistant message that only calls tools has {@code content: null}, as OpenAI sends it. */
  private static void encode(final ChatMessage m, final ObjectNode out) {
    out.put("role", m.role());
    if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
      out.putNull("content");
    } else {
      out.put("content", m.content());
    }
    if (!m.toolCalls().isEmpty()) {
      final ArrayNode calls = out.putArray("tool_calls");
      for (final ToolCall c : m.toolCalls()) {
        calls.addObject().put("id", c.id()).put("type", "function").putObject("function")
            .put("name", c.name()).put("arguments", c.arguments());
      }
    }
    if (m.toolCallId() != null) {
      out.put("tool_call_id", m.toolCallId());
    }
  }

  private HttpRequest httpRequest(final byte[] body) {
    final HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(config.requestTimeout())
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!config.apiKey().isEmpty()) {
      b.header("Authorization", "Bearer " + config.apiKey());
    }
    return b.build();
  }

  private static boolean retryable(final int status) {
    return status == 429 || status == 408 || status / 100 == 5;
  }

  /** Exponential backoff with "equal jitter": a wait drawn from [d/2, d], d = initial * 2^(attempt-1), capped. */
  private Duration backoff(final int attempt) {
    final long initial = config.initialBackoff().toMillis();
    final long cap = config.maxBackoff().toMillis();
    final long exp = initial << Math.min(attempt - 1, 30);
    final long d = exp < 0 || exp > cap ? cap : exp;
    return Duration.ofMillis(d == 0 ? 0 : d / 2 + ThreadLocalRandom.current().nextLong(d - d / 2 + 1));
  }

  /** Retry-After as delta-seconds or an HTTP date, capped at {@link LlmConfig#MAX_RETRY_AFTER}. */
  static Optional<Duration> retryAfter(final HttpResponse<?> response) {
    return response.headers().firstValue("Retry-After").flatMap(LlmClient::parseRetryAfter)
        .map(d -> d.compareTo(LlmConfig.MAX_RETRY_AFTER) > 0 ? LlmConfig.MAX_RETRY_AFTER : d);
  }

  static Optional<Duration> parseRetryAfter(final String value) {
    final String v = value.trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException notSeconds) {
      try {
        final Duration until = Duration.between(ZonedDateTime.now(),
            ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
        return Optional.of(until.isNegative() ? Duration.ZERO : until);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private void pause(final Duration wait, final int attempt) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while backing off before LLM retry " + attempt, -1, attempt, null);
    }
  }

  private LlmException failure(final String message, final int status, final int attempts, final Throwable cause) {
    failures.increment();
    return new LlmException(redact(message), status, attempts, cause);
  }

  private String snippet(final String body) {
    if (body == null || body.isEmpty()) {
      return "(empty body)";
    }
    // Redacted before cutting, so that a cut cannot leave half a key behind.
    final String oneLine = redact(body).replaceAll("\\s+", " ").trim();
    return oneLine.length() > BODY_SNIPPET ? oneLine.substring(0, BODY_SNIPPET) + "..." : oneLine;
  }

  /** Removes the API key from text that may quote a server's answer. */
  private String redact(final String text) {
    final String key = config.apiKey();
    return key.isEmpty() ? text : text.replace(key, "***");
  }
}
