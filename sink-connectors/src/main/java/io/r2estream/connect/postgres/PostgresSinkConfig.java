package io.r2estream.connect.postgres;

import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the PostgreSQL sink: where the database and the schema registry are, which PostgreSQL schema
 * holds the tables, how often a transient SQL error is retried, and per-topic overrides of the table name and the
 * primary key ({@code topic.<topic>.table}, {@code topic.<topic>.pk.fields}).
 */
public final class PostgresSinkConfig extends AbstractConfig {

  public static final String CONNECTION_URL = "connection.url";
  public static final String CONNECTION_USER = "connection.user";
  public static final String CONNECTION_PASSWORD = "connection.password";
  /** Confluent's key, so a registry configuration carries over from the serdes. */
  public static final String REGISTRY_URL = SchemaRegistryClients.URL_CONFIG;
  public static final String TABLE_SCHEMA = "table.schema";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  /** Prefix of the per-topic overrides: {@code topic.<topic name>.table} and {@code topic.<topic name>.pk.fields}. */
  public static final String TOPIC_PREFIX = "topic.";
  public static final String TABLE_SUFFIX = ".table";
  public static final String PK_FIELDS_SUFFIX = ".pk.fields";
  /** Connect's own topic-creation keys share our prefix; they are not overrides. */
  private static final String TOPIC_CREATION_PREFIX = "topic.creation.";

  public static final String DEFAULT_TABLE_SCHEMA = "r2e";
  private static final String JDBC_PREFIX = "jdbc:postgresql:";
  /**
   * Where the platform's connector sends records it cannot decode or write. Not the topics' own {@code <topic>.dlq}:
   * those carry {@code DeadLetter} Avro values, while Connect's dead-letter queue carries the original bytes with the
   * reason in {@code __connect.errors.*} headers, and one topic must not mix two formats.
   */
  public static final String DEFAULT_DLQ_TOPIC = "r2e.sink.postgres.dlq";
  /** Name the platform registers the connector under. */
  public static final String DEFAULT_CONNECTOR_NAME = "r2e-postgres-sink";

  /** The topics the platform stores in PostgreSQL. */
  public static final List<TopicSpec<?>> DEFAULT_TOPICS = List.of(Topics.TASKS, Topics.TRAJECTORIES,
      Topics.CANDIDATES, Topics.SCORES_TEST, Topics.SCORES_JUDGE, Topics.RANKINGS);

  public static final ConfigDef CONFIG_DEF = new ConfigDef()
      .define(CONNECTION_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "JDBC URL of the PostgreSQL database, e.g. jdbc:postgresql://db:5432/r2e.")
      .define(CONNECTION_USER, Type.STRING, "", Importance.HIGH,
          "Database user; empty = the one in the URL, if any.")
      .define(CONNECTION_PASSWORD, Type.PASSWORD, "", Importance.HIGH, "Database password.")
      .define(REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Schema registry holding the writer schemas of the values (http(s):// or mock://scope).")
      .define(TABLE_SCHEMA, Type.STRING, DEFAULT_TABLE_SCHEMA, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
          "PostgreSQL schema of the tables; created if absent.")
      .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
          "Consecutive redeliveries of a batch after transient SQL errors before the task fails.")
      .define(RETRY_BACKOFF_MS, Type.LONG, 1000L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
          "Wait before the first redelivery; doubles with each further retry, up to 60 s.");

  private final Map<String, String> tables = new HashMap<>();
  private final Map<String, List<String>> primaryKeys = new HashMap<>();

  public PostgresSinkConfig(final Map<String, String> props) {
    super(CONFIG_DEF, props);
    if (!connectionUrl().startsWith(JDBC_PREFIX)) {
      throw new ConfigException(CONNECTION_URL, connectionUrl(), "must be a " + JDBC_PREFIX + " URL");
    }
    props.forEach((k, v) -> {
      if (!k.startsWith(TOPIC_PREFIX) || k.startsWith(TOPIC_CREATION_PREFIX)) {
        return;
      }
      if (k.endsWith(TABLE_SUFFIX) && k.length() > TOPIC_PREFIX.length() + TABLE_SUFFIX.length()) {
        tables.put(k.substring(TOPIC_PREFIX.length(), k.length() - TABLE_SUFFIX.length()), requireText(k, v));
      } else if (k.endsWith(PK_FIELDS_SUFFIX) && k.length() > TOPIC_PREFIX.length() + PK_FIELDS_SUFFIX.length()) {
        final List<String> fields = Arrays.stream(requireText(k, v).split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).toList();
        primaryKeys.put(k.substring(TOPIC_PREFIX.length(), k.length() - PK_FIELDS_SUFFIX.length()), fields);
      } else {
        throw new ConfigException(k, v, "per-topic keys are topic.<topic>" + TABLE_SUFFIX + " or topic.<topic>"
            + PK_FIELDS_SUFFIX);
      }
    });
  }

  private static String requireText(final String key, final String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "must not be empty");
    }
    return value.trim();
  }

  public String connectionUrl() {
    return getString(CONNECTION_URL);
  }

  public String user() {
    return getString(CONNECTION_USER);
  }

  public String password() {
    return getPassword(CONNECTION_PASSWORD).value();
  }

  public String registryUrl() {
    return getString(REGISTRY_URL);
  }

  public String tableSchema() {
    return getString(TABLE_SCHEMA);
  }

  public int maxRetries() {
    return getInt(MAX_RETRIES);
  }

  public long retryBackoffMs() {
    return getLong(RETRY_BACKOFF_MS);
  }

  /** The table of a topic: the override, else the topic name without {@code r2e.} and with dots as underscores. */
  public TableName tableOf(final String topic) {
    return new TableName(tableSchema(), Optional.ofNullable(tables.get(topic)).orElseGet(() -> defaultTable(topic)));
  }

  /** The primary-key override of a topic, if configured. */
  public Optional<List<String>> primaryKeyOf(final String topic) {
    return Optional.ofNullable(primaryKeys.get(topic));
  }

  static String defaultTable(final String topic) {
    final String bare = topic.startsWith("r2e.") ? topic.substring(4) : topic;
    return bare.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }

  /**
   * The connector configuration the platform registers: our topics, string keys, raw value bytes (the task decodes
   * them with the registry), and records that cannot be decoded or written sent to {@link #DEFAULT_DLQ_TOPIC} with
   * Connect's error context headers.
   *
   * @param dlqReplicationFactor replication factor Connect creates the dead-letter topic with (1 on one broker)
   */
  public static Map<String, String> connectorConfig(final String jdbcUrl, final String user, final String password,
      final String registryUrl, final short dlqReplicationFactor) {
    final Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", PostgresSinkConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topics", String.join(",", DEFAULT_TOPICS.stream().map(TopicSpec::name).toList()));
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("errors.tolerance", "all");
    c.put("errors.log.enable", "true");
    c.put("errors.deadletterqueue.topic.name", DEFAULT_DLQ_TOPIC);
    c.put("errors.deadletterqueue.topic.replication.factor", Short.toString(dlqReplicationFactor));
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    c.put(CONNECTION_URL, jdbcUrl);
    c.put(CONNECTION_USER, user == null ? "" : user);
    c.put(CONNECTION_PASSWORD, password == null ? "" : password);
    c.put(REGISTRY_URL, registryUrl);
    return c;
  }
}
