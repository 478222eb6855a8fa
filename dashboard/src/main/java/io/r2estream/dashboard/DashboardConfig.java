package io.r2estream.dashboard;

import io.r2estream.config.ConfigKeys;
import io.r2estream.config.KafkaClientConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The dashboard's configuration keys (in one place) and their resolved values. Keys are read from system
 * properties first, then from environment variables ({@code r2e.dashboard.port} ↔ {@code R2E_DASHBOARD_PORT}).
 *
 * @param host             interface the HTTP server binds to; loopback by default, the pages show pipeline data
 * @param port             HTTP port, 0 for any free port
 * @param bootstrapServers Kafka cluster to read
 * @param registryUrl      schema registry that decodes the Avro values
 * @param refresh          how often offsets are polled and server-sent events may be pushed
 * @param maxTasks         tasks (and their scores and rankings) kept in memory, the oldest evicted first
 * @param maxTrajectories  finished trajectories kept in memory, the oldest evicted first
 * @param clientSettings   Kafka client security settings ({@code r2e.kafka.client.*}, prefix stripped), never printed
 */
public record DashboardConfig(String host, int port, String bootstrapServers, String registryUrl, Duration refresh,
    int maxTasks, int maxTrajectories, Map<String, Object> clientSettings) {

  /** Whether {@code r2e up} (the embedded platform) starts the dashboard too; the standalone main ignores it. */
  public static final String ENABLED = "r2e.dashboard.enabled";
  /** Interface the HTTP server binds to. */
  public static final String HOST = "r2e.dashboard.host";
  /** HTTP port of the dashboard (0 = any free port). */
  public static final String PORT = "r2e.dashboard.port";
  /** Interval of offset polling and of server-sent event pushes (ISO-8601 like PT1S, or milliseconds). */
  public static final String REFRESH = "r2e.dashboard.refresh";
  /** Tasks, with their scores and rankings, kept in memory. */
  public static final String MAX_TASKS = "r2e.dashboard.max-tasks";
  /** Finished trajectories kept in memory for the trajectory viewer. */
  public static final String MAX_TRAJECTORIES = "r2e.dashboard.max-trajectories";

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8090;
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);
  public static final int DEFAULT_MAX_TASKS = 5_000;
  public static final int DEFAULT_MAX_TRAJECTORIES = 1_000;

  public DashboardConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("'" + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "' is required for the dashboard");
    }
    if (registryUrl == null || registryUrl.isBlank()) {
      throw new IllegalArgumentException("'" + ConfigKeys.REGISTRY_URL + "' is required for the dashboard");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("'" + PORT + "' must be a port between 0 and 65535, got " + port);
    }
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("'" + REFRESH + "' must be positive, got " + refresh);
    }
    if (maxTasks < 1 || maxTrajectories < 1) {
      throw new IllegalArgumentException("'" + MAX_TASKS + "' and '" + MAX_TRAJECTORIES
          + "' must be at least 1, got " + maxTasks + " and " + maxTrajectories);
    }
    clientSettings = Map.copyOf(clientSettings);
  }

  /** Properties of the dashboard's Kafka clients: the cluster address plus the security settings. */
  public Map<String, Object> kafkaClient() {
    final Map<String, Object> client = new java.util.HashMap<>(clientSettings);
    client.put(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return client;
  }

  /** Client settings masked: a configuration is logged now and then, its passwords never. */
  @Override
  public String toString() {
    return "DashboardConfig[host=" + host + ", port=" + port + ", bootstrapServers=" + bootstrapServers
        + ", registryUrl=" + registryUrl + ", refresh=" + refresh + ", maxTasks=" + maxTasks + ", maxTrajectories="
        + maxTrajectories + ", clientSettings=" + KafkaClientConfig.masked(clientSettings) + "]";
  }

  /** Defaults for everything but the cluster addresses. */
  public static DashboardConfig of(final String bootstrapServers, final String registryUrl) {
    return new DashboardConfig(DEFAULT_HOST, DEFAULT_PORT, bootstrapServers, registryUrl, DEFAULT_REFRESH,
        DEFAULT_MAX_TASKS, DEFAULT_MAX_TRAJECTORIES, Map.of());
  }

  /** The same configuration on another port (0 = any free port). */
  public DashboardConfig withPort(final int newPort) {
    return new DashboardConfig(host, newPort, bootstrapServers, registryUrl, refresh, maxTasks, maxTrajectories, clientSettings);
  }

  /** The same configuration with another refresh interval. */
  public DashboardConfig withRefresh(final Duration newRefresh) {
    return new DashboardConfig(host, port, bootstrapServers, registryUrl, newRefresh, maxTasks, maxTrajectories, clientSettings);
  }

  /** Whether the platform configuration asks for the dashboard ({@link #ENABLED}, default false). */
  public static boolean enabled(final Map<String, String> properties) {
    return Boolean.parseBoolean(properties.getOrDefault(ENABLED, "false").trim());
  }

  /** Reads every key from system properties, then environment variables, then the defaults. */
  public static DashboardConfig fromSystem() {
    return from(System.getProperties().entrySet().stream().collect(java.util.stream.Collectors.toMap(
        e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue()))), System.getenv());
  }

  /** Reads every key from {@code properties}, then {@code env} (upper case, dots and dashes as underscores). */
  public static DashboardConfig from(final Map<String, String> properties, final Map<String, String> env) {
    final Function<String, String> get = key -> {
      final String p = properties.get(key);
      return p != null ? p : env.get(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    };
    return new DashboardConfig(
        orDefault(get.apply(HOST), DEFAULT_HOST),
        intOf(PORT, get.apply(PORT), DEFAULT_PORT),
        get.apply(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS),
        get.apply(ConfigKeys.REGISTRY_URL),
        durationOf(get.apply(REFRESH)),
        intOf(MAX_TASKS, get.apply(MAX_TASKS), DEFAULT_MAX_TASKS),
        intOf(MAX_TRAJECTORIES, get.apply(MAX_TRAJECTORIES), DEFAULT_MAX_TRAJECTORIES),
        KafkaClientConfig.settings(properties, env));
  }

  private static String orDefault(final String value, final String fallback) {
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int intOf(final String key, final String value, final int fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' must be an integer, got '" + value + "'", e);
    }
  }

  private static Duration durationOf(final String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_REFRESH;
    }
    final String v = value.trim();
    try {
      return v.chars().allMatch(Character::isDigit) ? Duration.ofMillis(Long.parseLong(v)) : Duration.parse(v);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("'" + REFRESH + "' must be milliseconds or ISO-8601 like PT1S, got '"
          + value + "'", e);
    }
  }
}
