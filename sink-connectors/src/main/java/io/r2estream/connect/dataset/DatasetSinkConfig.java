package io.r2estream.connect.dataset;

import io.r2estream.producers.tasks.TaskRowFormat;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** Configuration of the {@link DatasetSinkConnector}: where the files go, when they roll, and their row formats. */
public final class DatasetSinkConfig extends AbstractConfig {

  private static final String GROUP = "Dataset files";

  public static final String DIR_CONFIG = "dataset.dir";
  private static final String DIR_DOC = "Directory of the dataset files: one sub-directory per topic holding "
      + "<topic>+<partition>+<first offset>+<last offset>.jsonl files and one .jsonl.tmp file per partition.";

  public static final String REGISTRY_URL_CONFIG = SchemaRegistryClients.URL_CONFIG;
  private static final String REGISTRY_URL_DOC = "Schema registry the Avro values were written with "
      + "(http(s):// URLs or mock://<scope> in tests).";

  public static final String ROLL_RECORDS_CONFIG = "dataset.roll.records";
  private static final String ROLL_RECORDS_DOC = "A partition's temp file becomes final after this many rows.";
  public static final long ROLL_RECORDS_DEFAULT = 10_000;

  public static final String ROLL_BYTES_CONFIG = "dataset.roll.bytes";
  private static final String ROLL_BYTES_DOC = "... or after this many bytes.";
  public static final long ROLL_BYTES_DEFAULT = 64L * 1024 * 1024;

  public static final String ROLL_INTERVAL_MS_CONFIG = "dataset.roll.interval.ms";
  private static final String ROLL_INTERVAL_MS_DOC = "... or this many milliseconds after its first record "
      + "(checked on every put and offset commit, so rows of a quiet topic still become final).";
  public static final long ROLL_INTERVAL_MS_DEFAULT = 60_000;

  public static final String TASKS_FORMAT_CONFIG = "dataset.tasks.format";
  private static final String TASKS_FORMAT_DOC = "Row format of r2e.tasks files: swebench (SWE-bench columns, "
      + "FAIL_TO_PASS/PASS_TO_PASS as JSON strings) or r2egym (R2E-Gym columns).";
  public static final String TASKS_FORMAT_DEFAULT = TaskRowFormat.SWEBENCH.cliName();

  public static final String TRAJECTORIES_FORMAT_CONFIG = "dataset.trajectories.format";
  private static final String TRAJECTORIES_FORMAT_DOC = "Row format of r2e.trajectories files: sft (chat "
      + "messages for fine-tuning) or r2egym (trajectory rows with steps).";
  public static final String TRAJECTORIES_FORMAT_DEFAULT = TrajectoryFormat.SFT.configName();

  public static final String PARQUET_ENABLED_CONFIG = "dataset.parquet.enabled";
  private static final String PARQUET_ENABLED_DOC = "Also write a Parquet copy (<final name>.parquet) of every "
      + "final file, with DuckDB; needs org.duckdb:duckdb_jdbc on the worker's class path.";
  public static final boolean PARQUET_ENABLED_DEFAULT = false;

  /** Name the platform registers the connector under (its consumer group is {@code connect-<name>}). */
  public static final String PLATFORM_CONNECTOR_NAME = "r2e-dataset-sink";
  /** Directory of the platform's dataset files, under its data directory. */
  public static final String PLATFORM_DIR_NAME = "datasets";

  /** Dead-letter topic the platform configures for the dataset sink (raw record bytes plus Connect's error headers). */
  public static final String DEFAULT_DLQ_TOPIC = "r2e.sink.dataset.dlq";

  public static final ConfigDef DEF = new ConfigDef()
      .define(DIR_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
          DIR_DOC, GROUP, 1, ConfigDef.Width.LONG, "Directory")
      .define(REGISTRY_URL_CONFIG, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(),
          Importance.HIGH, REGISTRY_URL_DOC, GROUP, 2, ConfigDef.Width.LONG, "Schema registry")
      .define(ROLL_RECORDS_CONFIG, Type.LONG, ROLL_RECORDS_DEFAULT, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
          ROLL_RECORDS_DOC, GROUP, 3, ConfigDef.Width.SHORT, "Rows per file")
      .define(ROLL_BYTES_CONFIG, Type.LONG, ROLL_BYTES_DEFAULT, ConfigDef.Range.atLeast(1), Importance.MEDIUM,
          ROLL_BYTES_DOC, GROUP, 4, ConfigDef.Width.SHORT, "Bytes per file")
      .define(ROLL_INTERVAL_MS_CONFIG, Type.LONG, ROLL_INTERVAL_MS_DEFAULT, ConfigDef.Range.atLeast(1),
          Importance.MEDIUM, ROLL_INTERVAL_MS_DOC, GROUP, 5, ConfigDef.Width.SHORT, "Roll interval")
      .define(TASKS_FORMAT_CONFIG, Type.STRING, TASKS_FORMAT_DEFAULT,
          ConfigDef.ValidString.in(TaskRowFormat.SWEBENCH.cliName(), TaskRowFormat.R2EGYM.cliName()),
          Importance.MEDIUM, TASKS_FORMAT_DOC, GROUP, 6, ConfigDef.Width.SHORT, "Task row format")
      .define(TRAJECTORIES_FORMAT_CONFIG, Type.STRING, TRAJECTORIES_FORMAT_DEFAULT,
          ConfigDef.ValidString.in(TrajectoryFormat.SFT.configName(), TrajectoryFormat.R2EGYM.configName()),
          Importance.MEDIUM, TRAJECTORIES_FORMAT_DOC, GROUP, 7, ConfigDef.Width.SHORT, "Trajectory row format")
      .define(PARQUET_ENABLED_CONFIG, Type.BOOLEAN, PARQUET_ENABLED_DEFAULT, Importance.LOW, PARQUET_ENABLED_DOC,
          GROUP, 8, ConfigDef.Width.SHORT, "Parquet copies");

  public DatasetSinkConfig(final Map<String, String> props) {
    super(DEF, props);
  }

  public Path dir() {
    return Path.of(getString(DIR_CONFIG));
  }

  public String registryUrl() {
    return getString(REGISTRY_URL_CONFIG);
  }

  RollPolicy rollPolicy() {
    return new RollPolicy(getLong(ROLL_RECORDS_CONFIG), getLong(ROLL_BYTES_CONFIG), getLong(ROLL_INTERVAL_MS_CONFIG));
  }

  public boolean parquetEnabled() {
    return getBoolean(PARQUET_ENABLED_CONFIG);
  }

  public TaskRowFormat tasksFormat() {
    return TaskRowFormat.parse(getString(TASKS_FORMAT_CONFIG));
  }

  public TrajectoryFormat trajectoriesFormat() {
    return TrajectoryFormat.parse(getString(TRAJECTORIES_FORMAT_CONFIG));
  }

  /**
   * The topics a connector configuration reads, checked against what the sink can write. Topic patterns
   * ({@code topics.regex}) are refused: a file per unknown topic would only fill the dead-letter queue.
   */
  static void requireKnownTopics(final Map<String, String> connectorProps) {
    if (connectorProps.containsKey("topics.regex") && !connectorProps.get("topics.regex").isBlank()) {
      throw new ConfigException("topics.regex", connectorProps.get("topics.regex"),
          "the dataset sink needs an explicit 'topics' list out of " + DatasetRows.TOPICS.stream().sorted().toList());
    }
    for (final String topic : connectorProps.getOrDefault("topics", "").split(",")) {
      if (!topic.isBlank() && !DatasetRows.TOPICS.contains(topic.trim())) {
        throw new ConfigException("topics", topic.trim(), "the dataset sink writes only "
            + DatasetRows.TOPICS.stream().sorted().toList());
      }
    }
  }

  /**
   * The full connector configuration the platform registers: tasks, trajectories and rankings as dataset files under
   * {@code dir}, raw bytes in (the task decodes them with our serdes), undecodable records to {@code dlqTopic} with
   * Connect's error context headers; Connect creates that topic with {@code dlqReplication} replicas.
   */
  public static Map<String, String> connectorConfig(final Path dir, final String registryUrl, final String dlqTopic,
      final short dlqReplication) {
    final Map<String, String> c = new LinkedHashMap<>();
    c.put("connector.class", DatasetSinkConnector.class.getName());
    c.put("tasks.max", "1");
    c.put("topics", String.join(",", Topics.TASKS.name(), Topics.TRAJECTORIES.name(), Topics.RANKINGS.name()));
    c.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", dlqTopic);
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    c.put("errors.deadletterqueue.topic.replication.factor", String.valueOf(dlqReplication));
    c.put(DIR_CONFIG, dir.toString());
    c.put(REGISTRY_URL_CONFIG, registryUrl);
    return c;
  }
}
