package io.r2estream.connect.dataset;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Writes r2e.tasks, r2e.trajectories and r2e.rankings as rolling JSONL dataset files, exactly once: every record of
 * the topics appears in exactly one final file, across restarts (see {@link DatasetSinkTask}).
 */
public final class DatasetSinkConnector extends SinkConnector {

  static final String VERSION = "0.1.0";

  private Map<String, String> props;

  @Override
  public void start(final Map<String, String> props) {
    new DatasetSinkConfig(props);
    DatasetSinkConfig.requireKnownTopics(props);
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return DatasetSinkTask.class;
  }

  /** Identical configurations: partitions, not settings, differ between tasks. */
  @Override
  public List<Map<String, String>> taskConfigs(final int maxTasks) {
    return Collections.nCopies(maxTasks, props);
  }

  @Override
  public void stop() {
    // Nothing held: the tasks own the files.
  }

  @Override
  public ConfigDef config() {
    return DatasetSinkConfig.DEF;
  }

  @Override
  public String version() {
    return VERSION;
  }
}
