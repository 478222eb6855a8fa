package io.r2estream.deploy.platform;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.r2estream.config.ConfigKeys;
import io.r2estream.config.KafkaClientConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The effective platform configuration: application.yml, then environment variables, then system properties,
 * then CLI overrides (Micronaut's property-source order). Blank external addresses select the embedded default.
 *
 * @param properties every {@code r2e.*} and {@code micronaut.*} property, flattened, for stage configs
 *                   (e.g. {@code r2e.swegen.*}) and for the HTTP context
 */
public record PlatformConfig(
    Path dataDir,
    String bootstrapServers,
    int kafkaEmbeddedPort,
    short replicationFactor,
    String registryUrl,
    int registryEmbeddedPort,
    String jdbcUrl,
    String jdbcUsername,
    String jdbcPassword,
    int jdbcEmbeddedPort,
    boolean connectEnabled,
    int connectPort,
    int httpPort,
    String applicationId,
    int streamThreads,
    Map<String, Object> properties) {

  private static final Logger LOG = LoggerFactory.getLogger(PlatformConfig.class);

  /** Loads the configuration; {@code overrides} win over every other source. */
  public static PlatformConfig load(final Map<String, Object> overrides) {
    return load(overrides, ApplicationContext.builder().properties(overrides));
  }

  /**
   * As {@link #load(Map)} with {@code environment} in place of the process's environment variables (tests: the
   * variables a container would get), at the precedence Micronaut gives environment variables.
   */
  static PlatformConfig load(final Map<String, Object> overrides, final Map<String, String> environment) {
    final Map<String, Object> vars = new LinkedHashMap<>(environment);
    final io.micronaut.context.env.PropertySource source = new io.micronaut.context.env.MapPropertySource(
        "test-environment", vars) {
      @Override
      public int getOrder() {
        return io.micronaut.context.env.EnvironmentPropertySource.POSITION;
      }

      @Override
      public PropertyConvention getConvention() {
        return PropertyConvention.ENVIRONMENT_VARIABLE;
      }
    };
    return load(overrides, ApplicationContext.builder().properties(overrides).environmentPropertySource(false)
        .propertySources(source));
  }

  private static PlatformConfig load(final Map<String, Object> overrides,
      final io.micronaut.context.ApplicationContextBuilder builder) {
    final ApplicationContext ctx = builder.deduceEnvironment(false).banner(false).build();
    final Environment env = ctx.getEnvironment();
    env.start();
    try {
      final Map<String, Object> flat = new LinkedHashMap<>();
      // Keys written out (application.yml, -D) come from the RAW catalogue, each with its effective value: an
      // environment variable for the same key wins over the file, as in every env.getProperty below.
      env.getProperties("r2e", io.micronaut.core.naming.conventions.StringConvention.RAW).forEach((k, v) ->
          flat.put("r2e." + k, env.getProperty("r2e." + k, Object.class).orElse(v)));
      // Keys that only an environment variable sets are missing from RAW: R2E_COMPONENTS=rollout reaches us as every
      // spelling Micronaut derives (r2e.components; R2E_CONNECT_MODE as connect.mode and connect-mode). Readers ask
      // for the exact key, so the extra spellings are inert; Kafka client settings keep only the all-dots spelling
      // (Kafka's own names), and recipes cannot come from variables (repository ids hold '/').
      env.getProperties("r2e").forEach((k, v) -> {
        final String key = "r2e." + k;
        final boolean clientSpelling = !key.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX) || !k.contains("-");
        if (!flat.containsKey(key) && clientSpelling && !key.startsWith(ConfigKeys.RECIPES_PREFIX)) {
          flat.put(key, v);
        }
      });
      overrides.forEach(flat::put);
      final String bootstrap = env.getProperty(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, String.class, "").trim();
      if (bootstrap.isEmpty() && flat.keySet().removeIf(k -> k.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX))) {
        LOG.warn("{}* settings ignored: they apply to an external cluster ({}), the embedded broker is plaintext "
            + "on 127.0.0.1", ConfigKeys.KAFKA_CLIENT_PREFIX, ConfigKeys.KAFKA_BOOTSTRAP_SERVERS);
      }
      return new PlatformConfig(
          Path.of(env.getProperty(ConfigKeys.DATA_DIR, String.class, ".r2e/data")).toAbsolutePath(),
          bootstrap,
          env.getProperty(ConfigKeys.KAFKA_EMBEDDED_PORT, Integer.class, 19092),
          env.getProperty(ConfigKeys.KAFKA_REPLICATION_FACTOR, Short.class, (short) 1),
          env.getProperty(ConfigKeys.REGISTRY_URL, String.class, "").trim(),
          env.getProperty(ConfigKeys.REGISTRY_EMBEDDED_PORT, Integer.class, 18081),
          env.getProperty(ConfigKeys.JDBC_URL, String.class, "").trim(),
          env.getProperty(ConfigKeys.JDBC_USERNAME, String.class, ""),
          env.getProperty(ConfigKeys.JDBC_PASSWORD, String.class, ""),
          env.getProperty(ConfigKeys.JDBC_EMBEDDED_PORT, Integer.class, 15432),
          env.getProperty(ConfigKeys.CONNECT_ENABLED, Boolean.class, true),
          env.getProperty(ConfigKeys.CONNECT_PORT, Integer.class, 18083),
          env.getProperty(ConfigKeys.HTTP_PORT, Integer.class, 18080),
          env.getProperty(ConfigKeys.STREAMS_APPLICATION_ID, String.class, "r2e"),
          env.getProperty(ConfigKeys.STREAMS_THREADS, Integer.class, 1),
          Map.copyOf(flat));
    } finally {
      env.stop();
    }
  }

  public boolean embeddedKafka() {
    return bootstrapServers.isEmpty();
  }

  public boolean embeddedRegistry() {
    return registryUrl.isEmpty();
  }

  public boolean embeddedPostgres() {
    return jdbcUrl.isEmpty();
  }

  /** Where clients connect: the external cluster, or the embedded broker's fixed port. */
  public String effectiveBootstrapServers() {
    return embeddedKafka() ? "127.0.0.1:" + kafkaEmbeddedPort : bootstrapServers;
  }

  /**
   * Properties of a Kafka client of the platform's cluster at {@code bootstrapServers}: the address plus the
   * {@code r2e.kafka.client.*} settings (security) of an external cluster, via {@link KafkaClientConfig}.
   */
  public Map<String, Object> kafkaClient(final String bootstrapServers) {
    return KafkaClientConfig.of(bootstrapServers, properties);
  }

  /** {@link #kafkaClient} of {@link #effectiveBootstrapServers()}: what CLI commands connect with. */
  public Map<String, Object> kafkaClient() {
    return kafkaClient(effectiveBootstrapServers());
  }

  /** Where clients find the registry: the external one, or the embedded server's fixed port. */
  public String effectiveRegistryUrl() {
    return embeddedRegistry() ? "http://127.0.0.1:" + registryEmbeddedPort : registryUrl;
  }

  /** {@link ConfigKeys#REGISTRY_EMBEDDED_HOST}: where the embedded registry listens (loopback by default). */
  public String registryEmbeddedHost() {
    return text(ConfigKeys.REGISTRY_EMBEDDED_HOST, "127.0.0.1");
  }

  /** {@link ConfigKeys#CONNECT_HOST}: where the Connect worker's REST server listens (loopback by default). */
  public String connectHost() {
    return text(ConfigKeys.CONNECT_HOST, "127.0.0.1");
  }

  /** {@link ConfigKeys#CONNECT_GROUP_ID}: the distributed Connect workers' group. */
  public String connectGroupId() {
    return text(ConfigKeys.CONNECT_GROUP_ID, "r2e-connect");
  }

  /**
   * Whether {@link ConfigKeys#CONNECT_MODE} asks for a distributed Connect worker.
   *
   * @throws IllegalArgumentException for a mode other than standalone or distributed
   */
  public boolean connectDistributed() {
    final String mode = text(ConfigKeys.CONNECT_MODE, "standalone").toLowerCase(java.util.Locale.ROOT);
    return switch (mode) {
      case "standalone" -> false;
      case "distributed" -> true;
      default -> throw new IllegalArgumentException("'" + ConfigKeys.CONNECT_MODE + "' must be standalone or "
          + "distributed, not '" + mode + "'");
    };
  }

  private String text(final String key, final String fallback) {
    final Object v = properties.get(key);
    final String s = v == null ? "" : String.valueOf(v).trim();
    return s.isEmpty() ? fallback : s;
  }

  /** Never shows secrets: the JDBC password and every secret-looking property are masked. */
  @Override
  public String toString() {
    return "PlatformConfig[dataDir=" + dataDir + ", bootstrapServers=" + bootstrapServers + ", registryUrl="
        + registryUrl + ", jdbcUrl=" + jdbcUrl + ", jdbcUsername=" + jdbcUsername + ", jdbcPassword="
        + (jdbcPassword.isEmpty() ? "" : "[hidden]") + ", properties=" + KafkaClientConfig.masked(properties) + "]";
  }

  /** {@link #properties()} with every value as text, as the stage configs ({@code *Config.from}) read them. */
  public Map<String, String> stringProperties() {
    final Map<String, String> out = new java.util.HashMap<>();
    properties.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
