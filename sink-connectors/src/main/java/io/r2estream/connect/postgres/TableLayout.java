package io.r2estream.connect.postgres;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The table a record schema is stored in: the Kafka metadata columns, then one column per top-level field of the
 * writer schema (see {@link ColumnKind}), with the primary key; and the SQL to create it, to add the columns a newer
 * schema brings, to upsert a record and to delete the rows of a key. Column names are the field names in lower case.
 * Only primary-key columns are NOT NULL, so columns added later and fields a newer schema drops stay valid.
 */
public final class TableLayout {

  /** The record's Kafka key (UTF-8 text): a tombstone deletes the rows holding its key. */
  public static final String KEY_COLUMN = "kafka_key";
  public static final String PARTITION_COLUMN = "kafka_partition";
  public static final String OFFSET_COLUMN = "kafka_offset";
  private static final List<Column> METADATA = List.of(new Column(KEY_COLUMN, ColumnKind.TEXT, null),
      new Column(PARTITION_COLUMN, ColumnKind.INTEGER, null), new Column(OFFSET_COLUMN, ColumnKind.BIGINT, null));

  private final TableName table;
  private final List<Column> columns;
  private final List<String> primaryKey;
  /** Position of each value column's field in the writer schema; metadata columns are not in it. */
  private final int[] fieldPositions;

  private TableLayout(final TableName table, final List<Column> columns, final List<String> primaryKey,
      final int[] fieldPositions) {
    this.table = table;
    this.columns = columns;
    this.primaryKey = primaryKey;
    this.fieldPositions = fieldPositions;
  }

  /**
   * @param primaryKey field names (any case) or {@link #KEY_COLUMN}
   * @throws IllegalArgumentException when the schema is not a record, two fields differ only in case, a field is named
   *                                  like a metadata column, or a key field is missing
   */
  public static TableLayout of(final TableName table, final Schema valueSchema, final List<String> primaryKey) {
    if (valueSchema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("table " + table + " needs a record schema, got " + valueSchema.getType());
    }
    final Map<String, Column> byName = new LinkedHashMap<>();
    METADATA.forEach(c -> byName.put(c.name(), c));
    final List<Schema.Field> fields = valueSchema.getFields();
    final int[] positions = new int[fields.size()];
    for (int i = 0; i < fields.size(); i++) {
      final Schema.Field f = fields.get(i);
      final String name = f.name().toLowerCase(Locale.ROOT);
      if (byName.containsKey(name)) {
        throw new IllegalArgumentException("field '" + f.name() + "' of " + valueSchema.getFullName()
            + " maps to column '" + name + "', which " + (METADATA.stream().anyMatch(c -> c.name().equals(name))
            ? "is a metadata column" : "another field already has"));
      }
      byName.put(name, new Column(name, ColumnKind.of(f.schema()), f.schema()));
      positions[i] = f.pos();
    }
    if (primaryKey.isEmpty()) {
      throw new IllegalArgumentException("table " + table + " needs at least one primary-key column");
    }
    final List<String> pk = primaryKey.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
    for (final String k : pk) {
      if (!byName.containsKey(k)) {
        throw new IllegalArgumentException("primary-key field '" + k + "' of table " + table + " is not in "
            + valueSchema.getFullName() + " (fields: " + fields.stream().map(Schema.Field::name).toList() + ")");
      }
    }
    return new TableLayout(table, List.copyOf(byName.values()), pk, positions);
  }

  public TableName table() {
    return table;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<String> primaryKey() {
    return primaryKey;
  }

  public String createSchemaSql() {
    return "CREATE SCHEMA IF NOT EXISTS " + TableName.quote(table.schema());
  }

  public String createTableSql() {
    final Set<String> pk = new HashSet<>(primaryKey);
    return "CREATE TABLE IF NOT EXISTS " + table.sql() + " ("
        + columns.stream().map(c -> c.sql() + " " + c.kind().sqlType() + (pk.contains(c.name()) ? " NOT NULL" : ""))
            .collect(Collectors.joining(", "))
        + ", PRIMARY KEY (" + primaryKey.stream().map(TableName::quote).collect(Collectors.joining(", ")) + "))";
  }

  /** The ALTER TABLE adding the columns the table lacks, or none when it has them all. */
  public java.util.Optional<String> addColumnsSql(final Collection<String> existingColumns) {
    final Set<String> existing = new HashSet<>(existingColumns);
    final List<String> adds = new ArrayList<>();
    for (final Column c : columns) {
      if (!existing.contains(c.name())) {
        adds.add("ADD COLUMN IF NOT EXISTS " + c.sql() + " " + c.kind().sqlType());
      }
    }
    return adds.isEmpty() ? java.util.Optional.empty()
        : java.util.Optional.of("ALTER TABLE " + table.sql() + " " + String.join(", ", adds));
  }

  /** INSERT ... ON CONFLICT (key) DO UPDATE of every column; columns outside this schema keep their values. */
  public String upsertSql() {
    final Set<String> pk = new HashSet<>(primaryKey);
    final String names = columns.stream().map(Column::sql).collect(Collectors.joining(", "));
    final String values = columns.stream().map(Column::placeholder).collect(Collectors.joining(", "));
    final List<String> updates = columns.stream().filter(c -> !pk.contains(c.name()))
        .map(c -> c.sql() + " = EXCLUDED." + c.sql()).toList();
    return "INSERT INTO " + table.sql() + " (" + names + ") VALUES (" + values + ") ON CONFLICT ("
        + primaryKey.stream().map(TableName::quote).collect(Collectors.joining(", ")) + ") DO "
        + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
  }

  public static String deleteByKeySql(final TableName table) {
    return "DELETE FROM " + table.sql() + " WHERE " + TableName.quote(KEY_COLUMN) + " = ?";
  }

  /**
   * The values of one record in column order, checked against the primary key.
   *
   * @throws IllegalArgumentException when a primary-key value is null
   */
  public List<Object> values(final String key, final int partition, final long offset, final GenericRecord value) {
    final List<Object> out = new ArrayList<>(columns.size());
    out.add(key);
    out.add(partition);
    out.add(offset);
    for (final int pos : fieldPositions) {
      out.add(value.get(pos));
    }
    for (int i = 0; i < columns.size(); i++) {
      if (out.get(i) == null && primaryKey.contains(columns.get(i).name())) {
        throw new IllegalArgumentException("primary-key column '" + columns.get(i).name() + "' of table " + table
            + " is null in the record");
      }
    }
    return out;
  }

  /** Column name to SQL type, for checks and documentation. */
  public Map<String, String> sqlTypes() {
    final Map<String, String> m = new LinkedHashMap<>();
    columns.forEach(c -> m.put(c.name(), c.kind().sqlType()));
    return m;
  }
}
