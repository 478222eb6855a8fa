package io.r2estream.testkit.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A real OpenAI-compatible HTTP server on an ephemeral loopback port that answers {@code POST /v1/chat/completions}
 * (and {@code /chat/completions}) from a script, so that LLM clients and workers are tested over real HTTP without a
 * model. Replies come from a FIFO queue ({@link #enqueue}); once it is empty, from a function of the request
 * ({@link #otherwise}); with neither, the server answers 500 "no scripted reply", which makes a test's missing
 * script visible. Every request is recorded (body, headers, arrival time) and the number of requests being handled
 * at once is tracked, so tests can check a client's concurrency limit from the server side.
 */
public final class ScriptedLlmServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PATHS = Set.of("/v1/chat/completions", "/chat/completions");

  private final HttpServer server;
  private final ExecutorService handlers;
  private final Deque<ScriptedReply> queue = new ConcurrentLinkedDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final Set<CountDownLatch> holds = ConcurrentHashMap.newKeySet();
  private final AtomicInteger arrivals = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile Function<RecordedRequest, ScriptedReply> fallback;

  private ScriptedLlmServer(final HttpServer server, final ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  /** Starts a server on 127.0.0.1 and a free port, handling requests concurrently. */
  public static ScriptedLlmServer start() {
    final HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the scripted LLM server to a loopback port", e);
    }
    final AtomicInteger threads = new AtomicInteger();
    final ExecutorService pool = Executors.newCachedThreadPool(r -> {
      final Thread t = new Thread(r, "scripted-llm-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    final ScriptedLlmServer s = new ScriptedLlmServer(http, pool);
    http.setExecutor(pool);
    http.createContext("/", s::handle);
    http.start();
    return s;
  }

  /** The OpenAI base URL clients are configured with, e.g. {@code http://127.0.0.1:41234/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Appends replies to the queue, answered in order, one per request. */
  public ScriptedLlmServer enqueue(final ScriptedReply... replies) {
    queue.addAll(List.of(replies));
    return this;
  }

  /** Answers requests that find the queue empty. */
  public ScriptedLlmServer otherwise(final Function<RecordedRequest, ScriptedReply> script) {
    this.fallback = script;
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** Requests being handled right now (received, not yet answered). */
  public int inFlight() {
    return inFlight.get();
  }

  /** The largest number of requests handled at the same time since start. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  @Override
  public void close() {
    holds.forEach(CountDownLatch::countDown);
    server.stop(0);
    handlers.shutdownNow();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    final int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      final RecordedRequest request = record(exchange);
      final String method = exchange.getRequestMethod();
      if (!PATHS.contains(request.path())) {
        send(exchange, ScriptedReply.error(404, "no route " + request.path()), request);
      } else if (!"POST".equalsIgnoreCase(method)) {
        send(exchange, ScriptedReply.error(405, "method " + method + " not allowed on " + request.path()), request);
      } else {
        send(exchange, replyFor(request), request);
      }
    } catch (IOException e) {
      // The client gave up (timeout) and closed the connection before the answer: expected in timeout tests.
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private RecordedRequest record(final HttpExchange exchange) throws IOException {
    final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
    final RecordedRequest request = new RecordedRequest(arrivals.getAndIncrement(), exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(), headers, body, Instant.now());
    requests.add(request);
    return request;
  }

  private ScriptedReply replyFor(final RecordedRequest request) {
    final ScriptedReply next = queue.poll();
    if (next != null) {
      return next;
    }
    final Function<RecordedRequest, ScriptedReply> script = fallback;
    if (script != null) {
      return script.apply(request);
    }
    return ScriptedReply.error(500, "ScriptedLlmServer: no scripted reply left for request #" + request.index());
  }

  private void send(final HttpExchange exchange, final ScriptedReply reply, final RecordedRequest request)
      throws IOException {
    waitBeforeAnswering(reply);
    final byte[] body = reply.body(request.index(), requestedModel(request)).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void waitBeforeAnswering(final ScriptedReply reply) throws IOException {
    try {
      if (!reply.delay().isZero()) {
        Thread.sleep(reply.delay().toMillis());
      }
      final CountDownLatch hold = reply.hold();
      if (hold != null) {
        holds.add(hold);
        hold.await(ScriptedReply.maxHold().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("scripted LLM server is closing", e);
    }
  }

  private static String requestedModel(final RecordedRequest request) {
    try {
      final JsonNode model = JSON.readTree(request.body()).get("model");
      return model == null || !model.isTextual() ? null : model.asText();
    } catch (IOException e) {
      return null;
    }
  }
}
