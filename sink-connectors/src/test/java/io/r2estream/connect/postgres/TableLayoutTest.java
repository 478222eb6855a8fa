package io.r2estream.connect.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Avro schema → table columns, keys and SQL. */
class TableLayoutTest {

  private static final TableName TASKS = new TableName("r2e", "tasks");

  private static Schema parse(final String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":["
        + fields + "]}");
  }

  @Test
  void taskInstanceMapsPrimitivesTimestampsAndNestedValues() {
    final TableLayout layout = TableLayout.of(TASKS, TaskInstance.getClassSchema(),
        PrimaryKeys.defaultFor(TaskInstance.getClassSchema()));
    final Map<String, String> types = layout.sqlTypes();
    assertEquals(List.of("instance_id"), layout.primaryKey());
    assertEquals(List.of("kafka_key", "kafka_partition", "kafka_offset", "instance_id", "repo"),
        List.copyOf(types.keySet()).subList(0, 5));
    assertEquals("text", types.get("instance_id"));
    assertEquals("timestamptz", types.get("created_at"));
    assertEquals("jsonb", types.get("fail_to_pass"), "field names are lower-cased, arrays are jsonb");
    assertEquals("jsonb", types.get("environment"), "nested records are jsonb");
    assertEquals("jsonb", types.get("modified_entity_summaries"));
    assertEquals("integer", types.get("num_non_test_files"));
    assertEquals("text", types.get("source_url"), "a nullable union is its non-null branch");
    assertTrue(layout.createTableSql().startsWith("CREATE TABLE IF NOT EXISTS \"r2e\".\"tasks\" (\"kafka_key\" text, "
        + "\"kafka_partition\" integer, \"kafka_offset\" bigint, \"instance_id\" text NOT NULL, \"repo\" text, "),
        layout.createTableSql());
    assertTrue(layout.createTableSql().endsWith(", PRIMARY KEY (\"instance_id\"))"), layout.createTableSql());
  }

  @Test
  void defaultKeysFollowTheRecordType() {
    assertEquals(List.of("rollout_id"), PrimaryKeys.defaultFor(Trajectory.getClassSchema()));
    assertEquals(List.of("candidate_id", "model"), PrimaryKeys.defaultFor(JudgeScore.getClassSchema()));
    assertEquals(List.of("task_id"), PrimaryKeys.defaultFor(HybridRanking.getClassSchema()));
    assertEquals(List.of(TableLayout.KEY_COLUMN), PrimaryKeys.defaultFor(parse("{\"name\":\"a\",\"type\":\"int\"}")));
    final TableLayout trajectories = TableLayout.of(new TableName("r2e", "trajectories"),
        Trajectory.getClassSchema(), PrimaryKeys.defaultFor(Trajectory.getClassSchema()));
    assertEquals("jsonb", trajectories.sqlTypes().get("steps"));
    assertEquals("double precision", trajectories.sqlTypes().get("reward"));
    assertEquals("bigint", trajectories.sqlTypes().get("prompt_tokens"));
    assertEquals("text", TableLayout.of(TASKS, JudgeScore.getClassSchema(), List.of("candidate_id", "model"))
        .sqlTypes().get("status"), "enums are text");
  }

  @Test
  void everyAvroTypeHasAColumnKind() {
    final Schema s = parse("{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"f\",\"type\":\"float\"},"
        + "{\"name\":\"b\",\"type\":\"boolean\"},{\"name\":\"raw\",\"type\":\"bytes\"},"
        + "{\"name\":\"fx\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"size\":2}},"
        + "{\"name\":\"dec\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":5,\"scale\":2}},"
        + "{\"name\":\"day\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}},"
        + "{\"name\":\"us\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}},"
        + "{\"name\":\"local\",\"type\":{\"type\":\"long\",\"logicalType\":\"local-timestamp-millis\"}},"
        + "{\"name\":\"tod\",\"type\":{\"type\":\"int\",\"logicalType\":\"time-millis\"}},"
        + "{\"name\":\"m\",\"type\":{\"type\":\"map\",\"values\":\"long\"}},"
        + "{\"name\":\"either\",\"type\":[\"null\",\"int\",\"string\"]}");
    assertEquals(Map.ofEntries(Map.entry("kafka_key", "text"), Map.entry("kafka_partition", "integer"),
        Map.entry("kafka_offset", "bigint"), Map.entry("id", "text"), Map.entry("f", "real"),
        Map.entry("b", "boolean"), Map.entry("raw", "bytea"), Map.entry("fx", "bytea"), Map.entry("dec", "numeric"),
        Map.entry("day", "date"), Map.entry("us", "timestamptz"), Map.entry("local", "timestamp"),
        Map.entry("tod", "time"), Map.entry("m", "jsonb"), Map.entry("either", "jsonb")),
        TableLayout.of(TASKS, s, List.of("id")).sqlTypes());
  }

  @Test
  void upsertUpdatesEveryNonKeyColumnAndJsonIsCast() {
    final TableLayout layout = TableLayout.of(TASKS, parse("{\"name\":\"Id\",\"type\":\"string\"},"
        + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}"), List.of("id"));
    assertEquals("INSERT INTO \"r2e\".\"tasks\" (\"kafka_key\", \"kafka_partition\", \"kafka_offset\", \"id\", "
        + "\"tags\") VALUES (?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (\"id\") DO UPDATE SET "
        + "\"kafka_key\" = EXCLUDED.\"kafka_key\", \"kafka_partition\" = EXCLUDED.\"kafka_partition\", "
        + "\"kafka_offset\" = EXCLUDED.\"kafka_offset\", \"tags\" = EXCLUDED.\"tags\"", layout.upsertSql());
    assertEquals("DELETE FROM \"r2e\".\"tasks\" WHERE \"kafka_key\" = ?", TableLayout.deleteByKeySql(TASKS));
  }

  @Test
  void aNewerSchemaAddsOnlyTheColumnsTheTableLacks() {
    final TableLayout v2 = TableLayout.of(TASKS, parse("{\"name\":\"id\",\"type\":\"string\"},"
        + "{\"name\":\"score\",\"type\":[\"null\",\"double\"],\"default\":null},"
        + "{\"name\":\"labels\",\"type\":{\"type\":\"map\",\"values\":\"string\"},\"default\":{}}"), List.of("id"));
    assertEquals(Optional.of("ALTER TABLE \"r2e\".\"tasks\" ADD COLUMN IF NOT EXISTS \"score\" double precision, "
        + "ADD COLUMN IF NOT EXISTS \"labels\" jsonb"),
        v2.addColumnsSql(Set.of("kafka_key", "kafka_partition", "kafka_offset", "id")));
    assertEquals(Optional.empty(), v2.addColumnsSql(v2.sqlTypes().keySet()));
  }

  @Test
  void schemasThatCannotBeATableAreRejectedWithTheReason() {
    final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> TableLayout.of(TASKS, parse("{\"name\":\"a\",\"type\":\"int\"}"), List.of("id")));
    assertTrue(missing.getMessage().contains("primary-key field 'id'"), missing.getMessage());
    final IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> TableLayout.of(TASKS,
        parse("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"A\",\"type\":\"int\"}"), List.of("a")));
    assertTrue(clash.getMessage().contains("another field"), clash.getMessage());
    final IllegalArgumentException meta = assertThrows(IllegalArgumentException.class, () -> TableLayout.of(TASKS,
        parse("{\"name\":\"kafka_offset\",\"type\":\"int\"}"), List.of("kafka_offset")));
    assertTrue(meta.getMessage().contains("metadata column"), meta.getMessage());
  }

  @Test
  void aNullKeyValueIsRejected() {
    final Schema s = parse("{\"name\":\"id\",\"type\":[\"null\",\"string\"]}");
    final GenericRecord r = new GenericData.Record(s);
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableLayout.of(TASKS, s, List.of("id")).values("k", 0, 1L, r));
    assertTrue(e.getMessage().contains("'id'"), e.getMessage());
  }

  @Test
  void nestedValuesBecomeJson() {
    final Schema s = parse("{\"name\":\"step\",\"type\":{\"type\":\"record\",\"name\":\"S\",\"fields\":["
        + "{\"name\":\"obs\",\"type\":\"string\"},{\"name\":\"t\",\"type\":\"double\"},"
        + "{\"name\":\"info\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}]}}");
    final GenericRecord step = new GenericData.Record(s.getField("step").schema());
    step.put("obs", new org.apache.avro.util.Utf8("a \"quoted\"\nline\u0000"));
    step.put("t", Double.NaN);
    step.put("info", Map.of(new org.apache.avro.util.Utf8("k"), new org.apache.avro.util.Utf8("v")));
    assertEquals("[{\"obs\":\"a \\\"quoted\\\"\\nline\uFFFD\",\"t\":\"NaN\",\"info\":{\"k\":\"v\"}}]",
        PostgresText.json(List.of(step)));
  }

  @Test
  void tablesAreNamedAfterTopicsUnlessOverridden() {
    final PostgresSinkConfig c = new PostgresSinkConfig(Map.of(PostgresSinkConfig.CONNECTION_URL,
        "jdbc:postgresql://db/r2e", PostgresSinkConfig.REGISTRY_URL, "mock://t",
        "topic.r2e.rankings.table", "latest_rankings", "topic.r2e.scores.judge.pk.fields", "candidate_id"));
    assertEquals(new TableName("r2e", "scores_test"), c.tableOf("r2e.scores.test"));
    assertEquals(new TableName("r2e", "latest_rankings"), c.tableOf("r2e.rankings"));
    assertEquals(Optional.of(List.of("candidate_id")), c.primaryKeyOf("r2e.scores.judge"));
    assertEquals(Optional.empty(), c.primaryKeyOf("r2e.tasks"));
  }
}
