package io.r2estream.deploy.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.r2estream.avro.HybridRanking;
import io.r2estream.streams.ranking.HybridRankingTopology;
import io.r2estream.streams.ranking.RankingJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive query of the ranking application: {@code GET /rankings/{taskId}} answers the task's current ranking
 * from {@link HybridRankingTopology#RANKINGS_STORE} as JSON ({@link RankingJson}), 404 when the task has none, 503
 * while the store is not queryable (the application is starting or rebalancing). Bound to localhost only: the
 * rankings carry patches and ground truth. One process holds every partition in the platform's layout; with the
 * ranking application scaled out, a task's ranking is on the instance that owns its partition.
 */
public final class RankingQueryServer implements AutoCloseable {

  /** Path prefix of the endpoint. */
  public static final String PATH = "/rankings/";

  private static final Logger LOG = LoggerFactory.getLogger(RankingQueryServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final KafkaStreams streams;

  private RankingQueryServer(final HttpServer server, final KafkaStreams streams) {
    this.server = server;
    this.streams = streams;
  }

  /** Starts the endpoint on {@code 127.0.0.1:port} (0 = a free port, see {@link #port()}). */
  public static RankingQueryServer start(final KafkaStreams streams, final int port) {
    final HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen for ranking queries on 127.0.0.1:" + port + ": "
          + e.getMessage(), e);
    }
    final RankingQueryServer s = new RankingQueryServer(server, streams);
    server.createContext(PATH, s::handle);
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      final Thread t = new Thread(r, "r2e-ranking-queries");
      t.setDaemon(true);
      return t;
    }));
    server.start();
    LOG.info("rankings queryable at http://127.0.0.1:{}{}<task id>", s.port(), PATH);
    return s;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, Map.of("error", "only GET is supported, not " + exchange.getRequestMethod()));
        return;
      }
      final String raw = exchange.getRequestURI().getRawPath().substring(PATH.length());
      final String taskId = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      if (taskId.isEmpty()) {
        reply(exchange, 400, Map.of("error", "the path must name a task: " + PATH + "<task id>"));
        return;
      }
      final HybridRanking ranking;
      try {
        final ReadOnlyKeyValueStore<String, HybridRanking> store = streams.store(StoreQueryParameters
            .fromNameAndType(HybridRankingTopology.RANKINGS_STORE, QueryableStoreTypes.keyValueStore()));
        ranking = store.get(taskId);
      } catch (InvalidStateStoreException e) {
        reply(exchange, 503, Map.of("error", "rankings are not queryable right now (" + streams.state() + ")"));
        return;
      }
      if (ranking == null) {
        reply(exchange, 404, Map.of("error", "no ranking for task '" + taskId + "'"));
      } else {
        reply(exchange, 200, RankingJson.toMap(ranking));
      }
    }
  }

  private static void reply(final HttpExchange exchange, final int status, final Object body) throws IOException {
    final byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
