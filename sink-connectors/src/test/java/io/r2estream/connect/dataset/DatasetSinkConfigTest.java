package io.r2estream.connect.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.producers.tasks.TaskRowFormat;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class DatasetSinkConfigTest {

  private static Map<String, String> platformConfig() {
    return new HashMap<>(DatasetSinkConfig.connectorConfig(Path.of("/data/datasets"), "mock://x", "dlq", (short) 3));
  }

  @Test
  void platformConfigReadsRawBytesDeadLettersWithContextAndParsesWithDefaults() {
    final Map<String, String> c = platformConfig();
    assertEquals("org.apache.kafka.connect.converters.ByteArrayConverter", c.get("value.converter"));
    assertEquals("all", c.get("errors.tolerance"));
    assertEquals("dlq", c.get("errors.deadletterqueue.topic.name"));
    assertEquals("true", c.get("errors.deadletterqueue.context.headers.enable"));
    assertEquals("3", c.get("errors.deadletterqueue.topic.replication.factor"));
    assertEquals("r2e.tasks,r2e.trajectories,r2e.rankings", c.get("topics"));
    final DatasetSinkConfig config = new DatasetSinkConfig(c);
    assertEquals(Path.of("/data/datasets"), config.dir());
    assertEquals(TaskRowFormat.SWEBENCH, config.tasksFormat());
    assertEquals(TrajectoryFormat.SFT, config.trajectoriesFormat());
    assertEquals(new RollPolicy(10_000, 64L * 1024 * 1024, 60_000), config.rollPolicy());
    assertEquals(false, config.parquetEnabled());
    DatasetSinkConfig.requireKnownTopics(c);
  }

  @Test
  void rejectsTopicsTheSinkHasNoFormatFor() {
    final Map<String, String> c = platformConfig();
    c.put("topics", "r2e.tasks,r2e.commits");
    final ConfigException e = assertThrows(ConfigException.class, () -> DatasetSinkConfig.requireKnownTopics(c));
    assertTrue(e.getMessage().contains("r2e.commits"), e.getMessage());
  }

  @Test
  void rejectsATopicPattern() {
    final Map<String, String> c = platformConfig();
    c.remove("topics");
    c.put("topics.regex", "r2e\\..*");
    assertThrows(ConfigException.class, () -> DatasetSinkConfig.requireKnownTopics(c));
  }

  @Test
  void rejectsUnknownFormatsAndNonPositiveThresholds() {
    final Map<String, String> formats = platformConfig();
    formats.put(DatasetSinkConfig.TRAJECTORIES_FORMAT_CONFIG, "alpaca");
    assertThrows(ConfigException.class, () -> new DatasetSinkConfig(formats));
    final Map<String, String> rows = platformConfig();
    rows.put(DatasetSinkConfig.ROLL_RECORDS_CONFIG, "0");
    assertThrows(ConfigException.class, () -> new DatasetSinkConfig(rows));
    final Map<String, String> noDir = platformConfig();
    noDir.remove(DatasetSinkConfig.DIR_CONFIG);
    assertThrows(ConfigException.class, () -> new DatasetSinkConfig(noDir));
  }
}
