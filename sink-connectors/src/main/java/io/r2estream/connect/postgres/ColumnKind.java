package io.r2estream.connect.postgres;

import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The PostgreSQL type an Avro schema is stored as: primitives as their SQL counterparts, timestamps as
 * {@code timestamptz}, records, arrays, maps and unions of several types as {@code jsonb}.
 */
public enum ColumnKind {
  TEXT("text"),
  INTEGER("integer"),
  BIGINT("bigint"),
  REAL("real"),
  DOUBLE("double precision"),
  BOOLEAN("boolean"),
  BYTEA("bytea"),
  NUMERIC("numeric"),
  TIMESTAMPTZ("timestamptz"),
  TIMESTAMP("timestamp"),
  DATE("date"),
  TIME("time"),
  JSONB("jsonb");

  private final String sqlType;

  ColumnKind(final String sqlType) {
    this.sqlType = sqlType;
  }

  public String sqlType() {
    return sqlType;
  }

  /** The kind of a field's schema; a nullable union {@code [null, X]} is X's kind (the column is nullable anyway). */
  public static ColumnKind of(final Schema schema) {
    final Schema s = nonNull(schema);
    final LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros
        || logical instanceof LogicalTypes.TimestampNanos) {
      return TIMESTAMPTZ;
    }
    if (logical instanceof LogicalTypes.LocalTimestampMillis || logical instanceof LogicalTypes.LocalTimestampMicros
        || logical instanceof LogicalTypes.LocalTimestampNanos) {
      return TIMESTAMP;
    }
    if (logical instanceof LogicalTypes.Date) {
      return DATE;
    }
    if (logical instanceof LogicalTypes.TimeMillis || logical instanceof LogicalTypes.TimeMicros) {
      return TIME;
    }
    if (logical instanceof LogicalTypes.Decimal) {
      return NUMERIC;
    }
    return switch (s.getType()) {
      case STRING, ENUM, NULL -> TEXT;
      case INT -> INTEGER;
      case LONG -> BIGINT;
      case FLOAT -> REAL;
      case DOUBLE -> DOUBLE;
      case BOOLEAN -> BOOLEAN;
      case BYTES, FIXED -> BYTEA;
      case RECORD, ARRAY, MAP, UNION -> JSONB;
    };
  }

  /** X for a union {@code [null, X]} or {@code [X, null]}; the schema itself otherwise. */
  static Schema nonNull(final Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return schema;
    }
    final List<Schema> branches = schema.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    return branches.size() == 1 ? branches.get(0) : schema;
  }
}
