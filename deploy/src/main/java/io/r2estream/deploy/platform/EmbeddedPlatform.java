package io.r2estream.deploy.platform;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.r2estream.config.ConfigKeys;
import io.r2estream.connect.dataset.DatasetSinkConfig;
import io.r2estream.embedded.EmbeddedConnectWorker;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.embedded.EmbeddedPostgresServer;
import io.r2estream.embedded.Ports;
import io.r2estream.producers.push.IngestSettings;
import io.r2estream.embedded.registry.EmbeddedSchemaRegistry;
import io.r2estream.metrics.MetricsServer;
import io.r2estream.metrics.MetricsSettings;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole platform in one JVM: broker, schema registry, PostgreSQL, Connect worker, stream topologies and the HTTP
 * API. Each external service is replaced by its embedded stand-in only when its address is not configured, so the
 * same class runs the laptop default and a node of a distributed deployment. Components stop in reverse order.
 */
public final class EmbeddedPlatform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPlatform.class);

  private final PlatformConfig config;
  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, String> endpoints = new LinkedHashMap<>();
  private String bootstrapServers;
  private String registryUrl;
  private String jdbcUrl;
  private String jdbcUser;
  private String jdbcPassword;

  private EmbeddedPlatform(final PlatformConfig config) {
    this.config = config;
  }

  /**
   * Starts every component; on failure stops what had started and rethrows.
   *
   * @param progress receives one line per component as it comes up
   */
  public static EmbeddedPlatform start(final PlatformConfig config, final Consumer<String> progress) {
    final EmbeddedPlatform p = new EmbeddedPlatform(config);
    try {
      p.startAll(progress);
      return p;
    } catch (RuntimeException | Error e) {
      p.close();
      throw e;
    }
  }

  private void startAll(final Consumer<String> progress) {
    final Set<PlatformComponent> components = PlatformComponent.selected(config.properties());
    final boolean explicit = PlatformComponent.explicit(config.properties());
    // Under "all", components that are off by default keep their own switch; naming one explicitly runs it.
    final boolean runConnect = components.contains(PlatformComponent.CONNECT) && (explicit || config.connectEnabled());
    final boolean runDashboard = components.contains(PlatformComponent.DASHBOARD)
        && (explicit || io.r2estream.dashboard.DashboardConfig.enabled(config.stringProperties()));
    if (explicit) {
      progress.accept("  components         " + components);
    }
    // Issue 6: this process's Prometheus metrics on GET /metrics (r2e.metrics.*; loopback by default), first, so
    // that the rest of the start is observable.
    final long metricsStart = System.nanoTime();
    MetricsServer.startIfEnabled(MetricsSettings.from(config.properties())).ifPresent(m -> {
      running.push(m);
      endpoints.put("metrics", m.url().toString());
      progress.accept(line("metrics", m.url().toString(), metricsStart));
    });

    long t = System.nanoTime();
    if (config.embeddedKafka()) {
      final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(config.dataDir().resolve("kafka"),
          config.kafkaEmbeddedPort()).start();
      running.push(broker);
      bootstrapServers = broker.bootstrapServers();
    } else {
      bootstrapServers = config.bootstrapServers();
    }
    endpoints.put("kafka", bootstrapServers);
    // Every Kafka client below is made from these properties: address plus r2e.kafka.client.* (security).
    final Map<String, Object> kafkaClient = config.kafkaClient(bootstrapServers);
    try (Admin admin = Admin.create(kafkaClient)) {
      TopicCreator.ensure(admin, Topics.all(), config.replicationFactor());
    }
    progress.accept(line("kafka", bootstrapServers, t));

    t = System.nanoTime();
    if (config.embeddedRegistry()) {
      if (!components.contains(PlatformComponent.REGISTRY)) {
        throw new IllegalArgumentException("'" + ConfigKeys.REGISTRY_URL + "' is required: this process does not run "
            + "the registry component (" + ConfigKeys.COMPONENTS + "=" + config.properties().get(ConfigKeys.COMPONENTS)
            + ")");
      }
      final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(kafkaClient,
          config.registryEmbeddedHost(), config.registryEmbeddedPort());
      running.push(registry);
      registryUrl = registry.url();
    } else {
      registryUrl = config.registryUrl();
    }
    endpoints.put("schema registry", registryUrl);
    progress.accept(line("schema registry", registryUrl, t));

    t = System.nanoTime();
    if (!runConnect) {
      jdbcUrl = config.jdbcUrl();
      jdbcUser = config.jdbcUsername();
      jdbcPassword = config.jdbcPassword();
    } else if (config.embeddedPostgres()) {
      final EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"),
          config.jdbcEmbeddedPort());
      running.push(pg);
      jdbcUrl = pg.jdbcUrl();
      jdbcUser = pg.username();
      jdbcPassword = pg.password();
    } else {
      jdbcUrl = config.jdbcUrl();
      jdbcUser = config.jdbcUsername();
      jdbcPassword = config.jdbcPassword();
    }
    if (jdbcUrl != null && !jdbcUrl.isBlank()) {
      endpoints.put("postgresql", jdbcUrl);
      progress.accept(line("postgresql", jdbcUrl, t));
    }

    if (runConnect && config.connectDistributed()) {
      // A member of a Connect cluster (docker-compose, Kubernetes): connectors are registered over REST by
      // `r2e connectors register`, with the JDBC password as an ${env:...} reference, never in the config topic.
      t = System.nanoTime();
      final EmbeddedConnectWorker connect = EmbeddedConnectWorker.startDistributed(kafkaClient, config.connectHost(),
          Ports.orFree(config.connectPort()), config.connectGroupId(), config.replicationFactor());
      running.push(connect);
      endpoints.put("kafka connect", connect.restUrl());
      progress.accept(line("kafka connect", connect.restUrl() + " (group " + config.connectGroupId() + ")", t));
    } else if (runConnect) {
      t = System.nanoTime();
      final EmbeddedConnectWorker connect = EmbeddedConnectWorker.start(kafkaClient,
          config.dataDir().resolve("connect"), Ports.orFree(config.connectPort()));
      running.push(connect);
      endpoints.put("kafka connect", connect.restUrl());
      progress.accept(line("kafka connect", connect.restUrl(), t));
      // Issue 6: dataset files under <data dir>/datasets, and the PostgreSQL sink's tables (PlatformConnectors).
      PlatformConnectors.configs(config, config.dataDir().resolve(DatasetSinkConfig.PLATFORM_DIR_NAME), registryUrl,
          jdbcUrl, jdbcUser, jdbcPassword).forEach(connect::putConnector);
    }

    if (components.contains(PlatformComponent.STREAMS)) {
      t = System.nanoTime();
      final StreamsRunner streams = StreamsRunner.start(config, bootstrapServers, registryUrl);
      running.push(streams);
      final String rankingsUrl = "http://127.0.0.1:" + streams.rankingQueryPort() + RankingQueryServer.PATH;
      endpoints.put("rankings", rankingsUrl);
      progress.accept(line("stream topologies", String.join(", ", streams.topologyNames()) + "; rankings at "
          + rankingsUrl + "<task id>", t));
    }

    t = System.nanoTime();
    final Map<String, String> workerConfig = new LinkedHashMap<>();
    config.properties().forEach((k, v) -> workerConfig.put(k, String.valueOf(v)));
    workerConfig.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    workerConfig.put(ConfigKeys.REGISTRY_URL, registryUrl);
    if (components.contains(PlatformComponent.BACK_TRANSLATOR)) {
      running.push(io.r2estream.backtranslation.BackTranslator.start(workerConfig));
      progress.accept(line("back-translator", io.r2estream.llm.LlmConfig.from(workerConfig).configured()
          ? "LLM " + io.r2estream.llm.LlmConfig.from(workerConfig).model() : "no LLM: statements from commit messages",
          t));
    }

    // The judge needs no Docker: it reads trajectories and asks the LLM.
    if (components.contains(PlatformComponent.JUDGE)) {
      running.push(JudgeWorkers.start(config, bootstrapServers, registryUrl, progress));
    }

    // Everything below runs containers; r2e.envbuilder.enabled=false turns all of it off (no Docker here).
    if (io.r2estream.envbuilder.EnvBuilderConfig.enabled(config.properties())) {
      if (components.contains(PlatformComponent.SWE_GEN)) {
        t = System.nanoTime();
        running.push(SweGenWorkers.start(config, bootstrapServers, registryUrl, progress));
        progress.accept(line("swe-gen workers", "docker", t));
      }
      if (components.contains(PlatformComponent.ROLLOUT)
          && io.r2estream.rollout.RolloutConfig.from(config.properties()).enabled()) {
        t = System.nanoTime();
        running.push(RolloutWorkers.start(config, bootstrapServers, registryUrl, progress));
        progress.accept(line("rollout workers", "docker", t));
      }
      if (components.contains(PlatformComponent.VERIFIERS)) {
        t = System.nanoTime();
        running.push(TestGenWorkers.start(config, bootstrapServers, registryUrl, progress));
        running.push(ExecutionVerifierWorkers.start(config, bootstrapServers, registryUrl, progress));
        progress.accept(line("verifiers", "docker", t));
      }
    }

    // The live dashboards (dashboard module): r2e.dashboard.enabled=true, or named in r2e.components.
    if (runDashboard) {
      t = System.nanoTime();
      final Map<String, String> dash = new LinkedHashMap<>(config.stringProperties());
      dash.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
      dash.put(ConfigKeys.REGISTRY_URL, registryUrl);
      // The environment resolves ${NAME} references in r2e.kafka.client.* values, as for every other client.
      final io.r2estream.dashboard.Dashboard dashboard = io.r2estream.dashboard.Dashboard.start(
          io.r2estream.dashboard.DashboardConfig.from(dash, System.getenv()));
      running.push(dashboard);
      endpoints.put("dashboard", dashboard.url());
      progress.accept(line("dashboard", dashboard.url(), t));
    }

    if (components.contains(PlatformComponent.HTTP)) {
      startHttpApi(progress);
    }
    LOG.info("R2E-Stream platform up: {}", endpoints);
  }

  private void startHttpApi(final Consumer<String> progress) {
    final long t = System.nanoTime();
    final Map<String, Object> http = new LinkedHashMap<>(config.properties());
    http.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, bootstrapServers);
    http.put(ConfigKeys.REGISTRY_URL, registryUrl);
    http.put(ConfigKeys.HTTP_PORT, Ports.orFree(config.httpPort()));
    http.put(IngestSettings.STATE_DIR, config.dataDir().resolve("ingest").toString());
    http.put(ConfigKeys.DATA_DIR, config.dataDir().toString());
    final ApplicationContext ctx = ApplicationContext.builder().properties(http).deduceEnvironment(false)
        .banner(false).singletons(new PlatformStatus(endpoints)).start();
    running.push(ctx);
    final EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
    endpoints.put("http api", server.getURL().toString());
    progress.accept(line("http api", server.getURL().toString(), t));
  }

  private static String line(final String what, final String where, final long startNanos) {
    return String.format("  %-18s %-48s %5d ms", what, where, (System.nanoTime() - startNanos) / 1_000_000);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Properties of a Kafka client of this platform's cluster: address plus security settings. */
  public Map<String, Object> kafkaClient() {
    return config.kafkaClient(bootstrapServers);
  }

  public String registryUrl() {
    return registryUrl;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  /** User of {@link #jdbcUrl()} (the sinks' and readers' login). */
  public String jdbcUsername() {
    return jdbcUser;
  }

  /** Password of {@link #jdbcUrl()}; a secret: never print it. */
  public String jdbcPassword() {
    return jdbcPassword;
  }

  public PlatformConfig config() {
    return config;
  }

  /** Component name to address, in start order. */
  public Map<String, String> endpoints() {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
  }

  @Override
  public void close() {
    while (!running.isEmpty()) {
      final AutoCloseable c = running.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("{} did not stop cleanly: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
