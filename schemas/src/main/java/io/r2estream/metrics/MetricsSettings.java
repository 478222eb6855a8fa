package io.r2estream.metrics;

import io.r2estream.config.ConfigKeys;
import java.util.Map;

/**
 * Whether and where a process serves {@code GET /metrics}: {@link ConfigKeys#METRICS_ENABLED},
 * {@link ConfigKeys#METRICS_HOST}, {@link ConfigKeys#METRICS_PORT}. Loopback by default, like every HTTP server
 * of the platform; a Prometheus on another host needs {@code r2e.metrics.host=0.0.0.0}.
 *
 * @param port 0 = any free port
 */
public record MetricsSettings(boolean enabled, String host, int port) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  /** The port the Prometheus JMX exporter made customary for JVM processes. */
  public static final int DEFAULT_PORT = 9404;

  public MetricsSettings {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(ConfigKeys.METRICS_HOST + " must not be blank, got '" + host + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(ConfigKeys.METRICS_PORT + " must be within 0..65535, got " + port);
    }
    host = host.trim();
  }

  public static MetricsSettings defaults() {
    return new MetricsSettings(true, DEFAULT_HOST, DEFAULT_PORT);
  }

  /**
   * For a standalone process's main: each key from the system properties, else from the environment (upper case,
   * dots and dashes as underscores: {@code R2E_METRICS_PORT}), else the default, the port's being
   * {@code defaultPort} (so that two processes of one host do not both want {@link #DEFAULT_PORT}).
   */
  public static MetricsSettings fromSystem(final int defaultPort) {
    final Map<String, String> found = new java.util.HashMap<>();
    for (final String key : java.util.List.of(ConfigKeys.METRICS_ENABLED, ConfigKeys.METRICS_HOST,
        ConfigKeys.METRICS_PORT)) {
      final String p = System.getProperty(key);
      final String v = p != null ? p : System.getenv(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
          .replace('-', '_'));
      if (v != null) {
        found.put(key, v);
      }
    }
    found.putIfAbsent(ConfigKeys.METRICS_PORT, String.valueOf(defaultPort));
    return from(found);
  }

  /** Reads the three keys from flattened configuration; absent or blank values take the defaults. */
  public static MetricsSettings from(final Map<String, ?> config) {
    final String enabled = text(config, ConfigKeys.METRICS_ENABLED);
    final String host = text(config, ConfigKeys.METRICS_HOST);
    final String port = text(config, ConfigKeys.METRICS_PORT);
    if (enabled != null && !enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(ConfigKeys.METRICS_ENABLED + " must be true or false, got '" + enabled + "'");
    }
    final int p;
    try {
      p = port == null ? DEFAULT_PORT : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(ConfigKeys.METRICS_PORT + " must be a port number, got '" + port + "'", e);
    }
    return new MetricsSettings(enabled == null || Boolean.parseBoolean(enabled), host == null ? DEFAULT_HOST : host, p);
  }

  private static String text(final Map<String, ?> config, final String key) {
    final Object v = config.get(key);
    return v == null || v.toString().isBlank() ? null : v.toString().trim();
  }
}
