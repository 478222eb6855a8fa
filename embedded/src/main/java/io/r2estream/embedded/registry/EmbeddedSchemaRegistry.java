package io.r2estream.embedded.registry;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible schema registry in this JVM: a {@link KafkaSchemaStore} on the given cluster served over
 * HTTP by a Micronaut context of its own, so Confluent's clients, ours and tools can use it like the real one.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

  /** The default bind address: this machine only. */
  public static final String LOOPBACK = "127.0.0.1";

  private final KafkaSchemaStore store;
  private final ApplicationContext context;
  private final EmbeddedServer server;

  private EmbeddedSchemaRegistry(final KafkaSchemaStore store, final ApplicationContext context,
      final EmbeddedServer server) {
    this.store = store;
    this.context = context;
    this.server = server;
  }

  /**
   * Reads the schemas topic of the cluster (creating it if needed) and starts serving.
   *
   * @param port HTTP port, 0 for a free one
   */
  public static EmbeddedSchemaRegistry start(final String bootstrapServers, final int port) {
    return start(Map.of(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
        port);
  }

  /**
   * As {@link #start(String, int)} with full Kafka client properties (bootstrap servers and security settings).
   */
  public static EmbeddedSchemaRegistry start(final Map<String, Object> client, final int port) {
    return start(client, LOOPBACK, port);
  }

  /**
   * As {@link #start(Map, int)} bound to {@code host}: {@code 0.0.0.0} serves other machines (a registry container
   * of a distributed deployment, reachable only on its private network); the default is loopback only.
   */
  public static EmbeddedSchemaRegistry start(final Map<String, Object> client, final String host, final int port) {
    final Object bootstrapServers = client.get(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    final KafkaSchemaStore store = KafkaSchemaStore.start(client);
    try {
      final ApplicationContext context = ApplicationContext.builder()
          .banner(false)
          .deduceEnvironment(false)
          // Loopback unless asked: the registry has no authentication, so it must not be reachable by accident.
          .properties(Map.of("micronaut.server.port", port == 0 ? -1 : port,
              "micronaut.server.host", host,
              "micronaut.application.name", "r2e-schema-registry"))
          .singletons(store)
          .start();
      final EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
      final EmbeddedSchemaRegistry registry = new EmbeddedSchemaRegistry(store, context, server);
      LOG.info("Embedded schema registry serving {} (state in topic {} on {})", registry.url(),
          io.r2estream.topics.Topics.SCHEMAS_TOPIC, bootstrapServers);
      return registry;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Base URL for {@code schema.registry.url}. */
  public String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  /** Requests served so far whose "METHOD path" starts with the prefix, e.g. {@code "POST /subjects/"}. */
  public long requestCount(final String prefix) {
    return context.getBean(RequestCounter.class).count(prefix);
  }

  @Override
  public void close() {
    try {
      context.close();
    } finally {
      store.close();
    }
  }
}
