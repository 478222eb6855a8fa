package io.r2estream.connect.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Kafka Connect sink that stores the platform's Avro records in PostgreSQL tables derived from their schemas (see
 * docs/issue6-postgres-sink.md). Declared in META-INF/services, so workers with {@code plugin.discovery=service_load}
 * find it; any Connect cluster runs it from its plugin path.
 */
public final class PostgresSinkConnector extends SinkConnector {

  static final String VERSION = versionOf();

  private Map<String, String> props;

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public void start(final Map<String, String> props) {
    new PostgresSinkConfig(props); // fail fast on a bad configuration, before any task starts
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PostgresSinkTask.class;
  }

  /** Every task gets the same configuration; Connect spreads the topic partitions over them. */
  @Override
  public List<Map<String, String>> taskConfigs(final int maxTasks) {
    final List<Map<String, String>> configs = new ArrayList<>(maxTasks);
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {
    // Nothing to release: tasks hold the connections.
  }

  @Override
  public ConfigDef config() {
    return PostgresSinkConfig.CONFIG_DEF;
  }

  private static String versionOf() {
    final String v = PostgresSinkConnector.class.getPackage().getImplementationVersion();
    return v == null ? "0.1.0-SNAPSHOT" : v;
  }
}
