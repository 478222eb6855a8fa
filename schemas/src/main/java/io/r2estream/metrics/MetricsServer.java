package io.r2estream.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text exposition format (version 0.0.4) from a
 * {@link PrometheusMeterRegistry}, on the JDK's own HTTP server: every process of the platform (the embedded
 * platform, a standalone dashboard, a worker process) can expose its meters without an HTTP framework.
 */
public final class MetricsServer implements AutoCloseable {

  public static final String PATH = "/metrics";
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;
  private final String host;

  private MetricsServer(final HttpServer server, final ExecutorService executor, final String host) {
    this.server = server;
    this.executor = executor;
    this.host = host;
  }

  /** Starts the endpoint of the process-wide registry when {@code settings} enable it. */
  public static Optional<MetricsServer> startIfEnabled(final MetricsSettings settings) {
    return settings.enabled() ? Optional.of(start(settings.host(), settings.port(), R2eMetrics.registry()))
        : Optional.empty();
  }

  /**
   * @param port 0 = any free port
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is taken)
   */
  public static MetricsServer start(final String host, final int port, final PrometheusMeterRegistry registry) {
    final HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    server.createContext(PATH, exchange -> answer(exchange, registry));
    // One thread: scrapes are rare (every few seconds) and cheap.
    final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      final Thread t = new Thread(r, "r2e-metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(server, executor, host);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where Prometheus scrapes, e.g. {@code http://127.0.0.1:9404/metrics}. */
  public URI url() {
    final String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port() + PATH);
  }

  private static void answer(final HttpExchange exchange, final PrometheusMeterRegistry registry) throws IOException {
    try (exchange) {
      final String method = exchange.getRequestMethod();
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().add("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      final byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", CONTENT_TYPE);
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "MetricsServer[" + url() + "]";
  }
}
