package io.r2estream.connect.postgres;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The default primary key of a table, chosen from the Avro record its topic carries: the field(s) that identify one
 * entity of that type, so a re-sent or updated record overwrites its row.
 * <ul>
 *   <li>TaskInstance: {@code instance_id} (the task id; also the Kafka key)</li>
 *   <li>Trajectory: {@code rollout_id} (task/run/sample: one rollout)</li>
 *   <li>CandidatePatch, TestScore: {@code candidate_id} (task/run/sample: one candidate, one execution verdict)</li>
 *   <li>JudgeScore: {@code candidate_id, model} (several judge models may score one candidate)</li>
 *   <li>HybridRanking: {@code task_id} (one ranking per task, the latest wins as on the compacted topic)</li>
 *   <li>any other record: {@link TableLayout#KEY_COLUMN}, the Kafka key (latest value per key, like compaction)</li>
 * </ul>
 * A connector overrides it per topic with {@code topic.<topic>.pk.fields}.
 */
public final class PrimaryKeys {

  private static final Map<String, List<String>> BY_RECORD = Map.of(
      "io.r2estream.avro.TaskInstance", List.of("instance_id"),
      "io.r2estream.avro.Trajectory", List.of("rollout_id"),
      "io.r2estream.avro.CandidatePatch", List.of("candidate_id"),
      "io.r2estream.avro.TestScore", List.of("candidate_id"),
      "io.r2estream.avro.JudgeScore", List.of("candidate_id", "model"),
      "io.r2estream.avro.HybridRanking", List.of("task_id"));

  private PrimaryKeys() {
  }

  public static List<String> defaultFor(final Schema valueSchema) {
    return BY_RECORD.getOrDefault(valueSchema.getFullName(), List.of(TableLayout.KEY_COLUMN));
  }
}
