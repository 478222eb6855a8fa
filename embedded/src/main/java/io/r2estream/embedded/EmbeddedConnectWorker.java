package io.r2estream.embedded;

import io.r2estream.config.KafkaClientConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect standalone worker inside this JVM; the sink connectors (PostgreSQL, dataset files) run in it, in
 * the platform (deploy) and in the sink connectors' own tests. Plugins are found with
 * {@code plugin.discovery=service_load}: connectors declare themselves in META-INF/services, which starts in under a
 * second instead of scanning the whole classpath.
 *
 * <p>{@link #startDistributed} runs the same worker in distributed mode, as one member of a Connect cluster whose
 * configs, offsets and status live in Kafka topics: the Connect container of a distributed deployment.
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedConnectWorker.class);

  /** Config provider name under which connector configs may reference environment variables: {@code ${env:NAME}}. */
  public static final String ENV_CONFIG_PROVIDER = "env";

  private final Connect<? extends Herder> connect;

  private EmbeddedConnectWorker(final Connect<? extends Herder> connect) {
    this.connect = connect;
  }

  /**
   * Starts a worker with {@link #workerProps} and creates its state directory first.
   *
   * @param kafkaClient Kafka client properties (bootstrap servers, security) of the worker and its connectors
   * @param stateDir    directory of the worker's offsets file
   * @param port        REST port
   */
  public static EmbeddedConnectWorker start(final Map<String, Object> kafkaClient, final Path stateDir,
      final int port) {
    try {
      Files.createDirectories(stateDir);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create " + stateDir, e);
    }
    return start(workerProps(kafkaClient, stateDir, port));
  }

  /** Starts a standalone worker with these properties, e.g. {@link #workerProps} with a test's own flush interval. */
  public static EmbeddedConnectWorker start(final Map<String, String> workerProps) {
    final EmbeddedConnectWorker worker = new EmbeddedConnectWorker(new ConnectStandalone().startConnect(workerProps));
    LOG.info("Kafka Connect standalone worker ready on {}", worker.restUrl());
    return worker;
  }

  /**
   * The platform's standalone worker properties: offsets in a file in {@code stateDir}, flushed every second, REST
   * on 127.0.0.1.
   *
   * @param kafkaClient Kafka client properties (bootstrap servers, security) of the worker and its connectors
   * @param stateDir    directory of the worker's offsets file
   * @param port        REST port (0: any free port)
   */
  public static Map<String, String> workerProps(final Map<String, Object> kafkaClient, final Path stateDir,
      final int port) {
    final Map<String, String> worker = commonWorkerConfig(kafkaClient, "127.0.0.1", port);
    worker.put("offset.storage.file.filename", stateDir.resolve("connect.offsets").toString());
    return worker;
  }

  /**
   * Starts a distributed worker of group {@code groupId}: connectors are registered over its REST API (any member
   * forwards to the leader) and survive restarts in the topics {@code <groupId>-configs|offsets|status}.
   *
   * @param host              interface of the REST server; other members reach it at this host's address
   * @param replicationFactor of the three internal topics
   */
  public static EmbeddedConnectWorker startDistributed(final Map<String, Object> kafkaClient, final String host,
      final int port, final String groupId, final short replicationFactor) {
    final Map<String, String> worker = commonWorkerConfig(kafkaClient, host, port);
    worker.put("group.id", groupId);
    worker.put("config.storage.topic", groupId + "-configs");
    worker.put("offset.storage.topic", groupId + "-offsets");
    worker.put("status.storage.topic", groupId + "-status");
    final String rf = Short.toString(replicationFactor);
    worker.put("config.storage.replication.factor", rf);
    worker.put("offset.storage.replication.factor", rf);
    worker.put("status.storage.replication.factor", rf);
    if ("0.0.0.0".equals(host)) {
      // Members forward REST calls to the leader at its advertised address: this machine's, not the wildcard.
      worker.put("rest.advertised.host.name", localAddress());
    }
    final EmbeddedConnectWorker w = new EmbeddedConnectWorker(new ConnectDistributed().startConnect(worker));
    LOG.info("Kafka Connect distributed worker of group {} ready on http://{}:{}", groupId, host, port);
    return w;
  }

  private static Map<String, String> commonWorkerConfig(final Map<String, Object> kafkaClient, final String host,
      final int port) {
    final Map<String, String> worker = new HashMap<>(KafkaClientConfig.forConnectWorker(kafkaClient));
    // Converters are set per connector; these defaults only matter for connectors that do not set them.
    worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("listeners", "http://" + host + ":" + port);
    worker.put("plugin.discovery", "service_load");
    // Secrets stay out of the config topic: connector configs say ${env:R2E_JDBC_PASSWORD}, the worker resolves it.
    worker.put("config.providers", ENV_CONFIG_PROVIDER);
    worker.put("config.providers." + ENV_CONFIG_PROVIDER + ".class", EnvVarConfigProvider.class.getName());
    return worker;
  }

  private static String localAddress() {
    try {
      return java.net.InetAddress.getLocalHost().getHostAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("cannot find this machine's address for rest.advertised.host.name", e);
    }
  }

  /** Base URL of the worker's REST API, with the port it actually listens on. */
  public String restUrl() {
    return "http://127.0.0.1:" + connect.rest().serverUrl().getPort();
  }

  /** Creates or updates a connector and waits until the worker accepted it. */
  public void putConnector(final String name, final Map<String, String> config) {
    final Map<String, String> c = new HashMap<>(config);
    c.put("name", name);
    final FutureCallback<Herder.Created<ConnectorInfo>> cb = new FutureCallback<>();
    connect.herder().putConnectorConfig(name, c, true, cb);
    try {
      cb.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("connector " + name + " was not accepted: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
