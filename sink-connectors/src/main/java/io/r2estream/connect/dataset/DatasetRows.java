package io.r2estream.connect.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.agent.AgentPrompts;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.connect.avro.AvroJson;
import io.r2estream.producers.tasks.TaskRowFormat;
import io.r2estream.rollout.TrajectoryRows;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns the Avro value of a record (Confluent wire format, schema from our registry) into its dataset row, one JSON
 * line: tasks as R2E-Gym or SWE-bench rows ({@link TaskRowFormat}), trajectories as SFT chat conversations or R2E-Gym
 * trajectory rows ({@link TrajectoryRows}), rankings as the {@link HybridRanking} record in plain JSON. Any failure
 * (bytes that are not our wire format, an unknown schema id, a topic the sink does not know) is thrown as
 * {@link MalformedRecordException} with the reason, for the dead-letter queue.
 */
final class DatasetRows {

  /** The topics the dataset sink writes. */
  static final Set<String> TOPICS = Set.of(Topics.TASKS.name(), Topics.TRAJECTORIES.name(), Topics.RANKINGS.name());

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, Function<byte[], ObjectNode>> formatters;

  DatasetRows(final String registryUrl, final TaskRowFormat taskFormat, final TrajectoryFormat trajectoryFormat) {
    final AgentPrompts text = AgentPrompts.textMode();
    final AgentPrompts functionCalling = AgentPrompts.functionCalling();
    final Deserializer<TaskInstance> tasks = deserializer(Topics.TASKS, registryUrl);
    final Deserializer<Trajectory> trajectories = deserializer(Topics.TRAJECTORIES, registryUrl);
    final Deserializer<HybridRanking> rankings = deserializer(Topics.RANKINGS, registryUrl);
    formatters = Map.of(
        Topics.TASKS.name(), bytes -> taskFormat.toRow(tasks.deserialize(Topics.TASKS.name(), bytes)),
        Topics.TRAJECTORIES.name(), bytes -> {
          final Trajectory t = trajectories.deserialize(Topics.TRAJECTORIES.name(), bytes);
          return trajectoryFormat == TrajectoryFormat.R2EGYM ? TrajectoryRows.r2eGym(t)
              // The conversation starts with the system prompt the agent really ran with.
              : TrajectoryRows.sft(t, "function_calling".equals(t.getAgentMode()) ? functionCalling : text);
        },
        Topics.RANKINGS.name(), bytes -> AvroJson.toJson(rankings.deserialize(Topics.RANKINGS.name(), bytes)));
  }

  /** The JSON line (no newline) of a non-null value read from the topic. */
  byte[] line(final String topic, final byte[] value) {
    final Function<byte[], ObjectNode> formatter = formatters.get(topic);
    if (formatter == null) {
      throw new MalformedRecordException("topic '" + topic + "' has no dataset format: the dataset sink writes "
          + TOPICS.stream().sorted().toList());
    }
    try {
      return JSON.writeValueAsBytes(formatter.apply(value));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new MalformedRecordException("cannot turn the record on " + topic + " into a dataset row: "
          + e.getMessage(), e);
    }
  }

  private static <V extends SpecificRecord> Deserializer<V> deserializer(final TopicSpec<V> spec,
      final String registryUrl) {
    return R2eSerdes.valueSerde(spec, registryUrl).deserializer();
  }

  /** A record whose value cannot become a dataset row; its message is the reason sent to the dead-letter queue. */
  static final class MalformedRecordException extends RuntimeException {
    MalformedRecordException(final String message) {
      super(message);
    }

    MalformedRecordException(final String message, final Throwable cause) {
      super(message, cause);
    }
  }
}
