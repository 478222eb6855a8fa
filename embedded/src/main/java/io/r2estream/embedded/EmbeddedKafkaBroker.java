package io.r2estream.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka broker (broker and controller roles) running inside this JVM, with its log
 * directory under a data directory of ours. Restarting on the same directory keeps every topic and record:
 * the cluster id is stored next to the logs and the format step is skipped when already done.
 *
 * <p>This is the production broker class ({@link KafkaRaftServer}), not a test double; tests use it too.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final Path dataDir;
  private final int brokerPort;
  private final Map<String, String> overrides;
  private Map<String, String> saslUsers = Map.of();
  private int saslPort;
  private int controllerPort;
  private String clusterId;
  private KafkaRaftServer server;

  /**
   * @param dataDir    directory holding the broker's logs and metadata; created when missing
   * @param brokerPort client port, 0 for a free one
   * @param overrides  extra broker properties (they win over the defaults)
   */
  public EmbeddedKafkaBroker(final Path dataDir, final int brokerPort, final Map<String, String> overrides) {
    this.dataDir = dataDir.toAbsolutePath();
    this.brokerPort = Ports.orFree(brokerPort);
    this.overrides = Map.copyOf(overrides);
  }

  public EmbeddedKafkaBroker(final Path dataDir, final int brokerPort) {
    this(dataDir, brokerPort, Map.of());
  }

  /**
   * Adds a second client listener, SASL_PLAINTEXT with the PLAIN mechanism, accepting exactly {@code users}
   * (user name to password); the PLAINTEXT listener stays for the broker's own use and the controller. Call before
   * {@link #start()}; clients reach it at {@link #saslBootstrapServers()}. For tests of secured clusters.
   *
   * @param port SASL listener port, 0 for a free one
   */
  public synchronized EmbeddedKafkaBroker withSaslPlainListener(final int port, final Map<String, String> users) {
    if (server != null) {
      throw new IllegalStateException("add the SASL listener before starting the broker on " + bootstrapServers());
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL listener needs at least one user");
    }
    this.saslPort = Ports.orFree(port);
    this.saslUsers = Map.copyOf(users);
    return this;
  }

  /** host:port of the SASL_PLAINTEXT listener added by {@link #withSaslPlainListener}. */
  public String saslBootstrapServers() {
    if (saslUsers.isEmpty()) {
      throw new IllegalStateException("the broker on " + bootstrapServers() + " has no SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** Formats the storage if needed, starts the broker and waits until it answers metadata requests. */
  public synchronized EmbeddedKafkaBroker start() {
    if (server != null) {
      return this;
    }
    try {
      Files.createDirectories(dataDir);
      loadIdentity();
      final Properties props = brokerProperties();
      final Path cfg = dataDir.resolve("server.properties");
      try (Writer w = Files.newBufferedWriter(cfg, StandardCharsets.UTF_8)) {
        props.store(w, "written by R2E-Stream's embedded broker");
      }
      format(cfg);
      server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
      server.startup();
      awaitReady(Duration.ofSeconds(60));
      LOG.info("Embedded Kafka broker ready on {} (data in {})", bootstrapServers(), dataDir);
      return this;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded broker in " + dataDir + ": " + e.getMessage(), e);
    }
  }

  /** host:port for clients. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return brokerPort;
  }

  /** Stops the broker; its data stays on disk for the next start. */
  @Override
  public synchronized void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
      LOG.info("Embedded Kafka broker stopped");
    }
  }

  private Properties brokerProperties() {
    final Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dataDir.resolve("logs").toString());
    // Single node: every internal topic has one replica, or transactions and groups never become available.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The default 128 MiB dedupe buffer is heap we do not need for a few compacted topics.
    p.put("log.cleaner.dedupe.buffer.size", "8388608");
    p.put("message.max.bytes", Integer.toString(io.r2estream.topics.TopicSpec.MAX_MESSAGE_BYTES + 65536));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("auto.create.topics.enable", "false");
    if (!saslUsers.isEmpty()) {
      addSaslListener(p);
    }
    p.putAll(overrides);
    return p;
  }

  private void addSaslListener(final Properties p) {
    p.put("listeners", p.getProperty("listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map")
        + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "PLAIN");
    final StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
    saslUsers.forEach((user, password) -> jaas.append(" user_").append(user).append("=\"")
        .append(password).append('"'));
    p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
  }

  private void format(final Path cfg) {
    // --ignore-formatted: a restart on the same data directory keeps its cluster id and data.
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final int rc = StorageTool.execute(new String[] {"format", "--ignore-formatted",
        "-t", clusterId, "-c", cfg.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8));
    if (rc != 0) {
      throw new IllegalStateException("kafka storage format failed (" + rc + "): " + out);
    }
  }

  /**
   * The cluster id and controller port belong to the data: a restart must present the same id (the logs are
   * stamped with it) and should keep the controller address the metadata log knows.
   */
  private void loadIdentity() throws IOException {
    final Path file = dataDir.resolve("r2e-broker.properties");
    final Properties id = new Properties();
    if (Files.exists(file)) {
      try (java.io.Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        id.load(r);
      }
    }
    clusterId = id.getProperty("cluster.id", Uuid.randomUuid().toString());
    controllerPort = Integer.parseInt(id.getProperty("controller.port", "0"));
    if (controllerPort == 0 || !portFree(controllerPort)) {
      controllerPort = Ports.free();
    }
    id.setProperty("cluster.id", clusterId);
    id.setProperty("controller.port", Integer.toString(controllerPort));
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      id.store(w, "identity of the embedded broker's data; do not edit");
    }
  }

  private static boolean portFree(final int port) {
    try (ServerSocket s = new ServerSocket(port)) {
      s.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitReady(final Duration timeout) {
    final Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin admin = Admin.create(p)) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("embedded broker did not become ready within " + timeout, e);
    }
  }

}
