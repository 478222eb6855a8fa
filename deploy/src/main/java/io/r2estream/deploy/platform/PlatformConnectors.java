package io.r2estream.deploy.platform;

import io.r2estream.config.ConfigKeys;
import io.r2estream.connect.dataset.DatasetSinkConfig;
import io.r2estream.connect.postgres.PostgresSinkConfig;
import io.r2estream.embedded.EmbeddedConnectWorker;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sink connectors the platform runs, name to configuration, built in one place so the embedded standalone worker
 * and a distributed Connect cluster ({@code r2e connectors register}) get the same configs.
 */
public final class PlatformConnectors {

  /** What connector configs put as the JDBC password on a distributed worker: resolved there, never stored. */
  public static final String JDBC_PASSWORD_ENV_REFERENCE = "${" + EmbeddedConnectWorker.ENV_CONFIG_PROVIDER
      + ":R2E_JDBC_PASSWORD}";

  private PlatformConnectors() {
  }

  /**
   * The dataset sink (always, with the {@link ConfigKeys#SINK_DATASET_PREFIX} settings) and the PostgreSQL sink (unless {@link ConfigKeys#SINK_POSTGRES_ENABLED} is false).
   *
   * @param datasetDir   where the Connect worker writes the dataset files (a path on the worker's machine)
   * @param jdbcPassword the password, or a config-provider reference such as {@link #JDBC_PASSWORD_ENV_REFERENCE}
   * @throws IllegalArgumentException when the PostgreSQL sink is on and {@code jdbcUrl} is blank
   */
  public static Map<String, Map<String, String>> configs(final PlatformConfig config, final Path datasetDir,
      final String registryUrl, final String jdbcUrl, final String jdbcUser, final String jdbcPassword) {
    final Map<String, Map<String, String>> out = new LinkedHashMap<>();
    final Map<String, String> dataset = new LinkedHashMap<>(DatasetSinkConfig.connectorConfig(datasetDir,
        registryUrl, DatasetSinkConfig.DEFAULT_DLQ_TOPIC, config.replicationFactor()));
    // r2e.sink.dataset.<key> -> dataset.<key> (roll size and interval, formats, Parquet copies)
    config.stringProperties().forEach((k, v) -> {
      if (k.startsWith(ConfigKeys.SINK_DATASET_PREFIX)) {
        dataset.put("dataset." + k.substring(ConfigKeys.SINK_DATASET_PREFIX.length()), v);
      }
    });
    out.put(DatasetSinkConfig.PLATFORM_CONNECTOR_NAME, dataset);
    if (postgresEnabled(config)) {
      if (jdbcUrl == null || jdbcUrl.isBlank()) {
        throw new IllegalArgumentException("'" + ConfigKeys.JDBC_URL + "' is required for the PostgreSQL sink (or set "
            + ConfigKeys.SINK_POSTGRES_ENABLED + "=false)");
      }
      out.put(PostgresSinkConfig.DEFAULT_CONNECTOR_NAME, PostgresSinkConfig.connectorConfig(jdbcUrl, jdbcUser,
          jdbcPassword, registryUrl, config.replicationFactor()));
    }
    return out;
  }

  /** {@link ConfigKeys#SINK_POSTGRES_ENABLED}, default true. */
  public static boolean postgresEnabled(final PlatformConfig config) {
    return Boolean.parseBoolean(String.valueOf(config.properties().getOrDefault(ConfigKeys.SINK_POSTGRES_ENABLED,
        "true")).trim());
  }
}
