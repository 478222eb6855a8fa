package io.r2estream.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The one place that turns the platform configuration into Kafka client properties: the bootstrap servers plus
 * every {@link ConfigKeys#KAFKA_CLIENT_PREFIX} key with the prefix stripped ({@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.*}, ...). Producers, consumers and admins take the
 * map as it is; Kafka Streams applies plain keys to all of its clients; {@link #forConnectWorker} adds the copies
 * Connect needs for the clients of its connectors.
 *
 * <p>Secrets stay out of files that get committed: a value may contain {@code ${NAME}} references (environment
 * variable style: capitals, digits, underscores), replaced by the environment variable {@code NAME}. That is also
 * what Micronaut does with the same text in application.yml, system properties or the environment, so a reference
 * means the same wherever it is written; here it covers maps that did not pass through Micronaut (CLI overrides,
 * worker configs). A missing variable is an error, never an empty password. Use {@link #masked} whenever a client
 * configuration is logged.
 */
public final class KafkaClientConfig {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)}");
  /** Key fragments whose values are secrets and never printed. */
  private static final String[] SECRET_NAME_PARTS = {"password", "secret", "token", "key", "jaas", "credential"};
  static final String MASK = "[hidden]";

  private KafkaClientConfig() {
  }

  /**
   * Client properties of the cluster at {@code bootstrapServers} under the platform configuration {@code config}
   * (a flat map of {@link ConfigKeys}); environment references resolve against the process environment.
   */
  public static Map<String, Object> of(final String bootstrapServers, final Map<String, ?> config) {
    return of(bootstrapServers, config, System.getenv());
  }

  /** As {@link #of(String, Map)}, with {@code env} standing for the process environment. */
  public static Map<String, Object> of(final String bootstrapServers, final Map<String, ?> config,
      final Map<String, String> env) {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("Kafka bootstrap servers are required, got '" + bootstrapServers + "'");
    }
    final Map<String, Object> client = new LinkedHashMap<>(settings(config, env));
    client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return client;
  }

  /** Only the {@link ConfigKeys#KAFKA_CLIENT_PREFIX} settings of {@code config}, prefix stripped, references resolved. */
  public static Map<String, Object> settings(final Map<String, ?> config, final Map<String, String> env) {
    final Map<String, Object> out = new TreeMap<>();
    config.forEach((key, value) -> {
      if (key.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX) && key.length() > ConfigKeys.KAFKA_CLIENT_PREFIX.length()
          && value != null) {
        out.put(key.substring(ConfigKeys.KAFKA_CLIENT_PREFIX.length()), resolve(key, String.valueOf(value), env));
      }
    });
    return out;
  }

  /** Copies client properties into {@code target} (Kafka Streams: plain keys apply to all its clients). */
  public static Properties addTo(final Properties target, final Map<String, Object> client) {
    target.putAll(client);
    return target;
  }

  /**
   * Properties of a Connect worker: the client settings for the worker's own clients, and the same settings again
   * under {@code producer.}, {@code consumer.} and {@code admin.} for the clients Connect makes for connectors.
   */
  public static Map<String, String> forConnectWorker(final Map<String, Object> client) {
    final Map<String, String> out = new LinkedHashMap<>();
    client.forEach((k, v) -> {
      out.put(k, String.valueOf(v));
      if (!CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG.equals(k)) {
        for (final String prefix : new String[] {"producer.", "consumer.", "admin."}) {
          out.put(prefix + k, String.valueOf(v));
        }
      }
    });
    return out;
  }

  /** {@code config} fit for a log line: values of secret-looking keys (see {@link #isSecret}) are masked. */
  public static Map<String, String> masked(final Map<String, ?> config) {
    final Map<String, String> out = new TreeMap<>();
    config.forEach((k, v) -> out.put(k, isSecret(k) ? MASK : String.valueOf(v)));
    return Collections.unmodifiableMap(out);
  }

  /** Whether a configuration key names a secret: it mentions a password, secret, token, key, JAAS or credential. */
  public static boolean isSecret(final String key) {
    final String k = key.toLowerCase(Locale.ROOT);
    for (final String part : SECRET_NAME_PARTS) {
      if (k.contains(part)) {
        return true;
      }
    }
    return false;
  }

  private static String resolve(final String key, final String value, final Map<String, String> env) {
    final Matcher m = ENV_REFERENCE.matcher(value);
    final StringBuilder out = new StringBuilder();
    while (m.find()) {
      final String name = m.group(1);
      final String v = env.get(name);
      if (v == null) {
        throw new IllegalArgumentException(key + " references the environment variable " + name
            + ", which is not set");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    if (out.indexOf("${") >= 0) {
      throw new IllegalArgumentException(key + " has a placeholder that is not an environment variable reference "
          + "like ${R2E_KAFKA_PASSWORD}: " + MASK);
    }
    return out.toString();
  }
}
