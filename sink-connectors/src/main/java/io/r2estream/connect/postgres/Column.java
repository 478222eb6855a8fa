package io.r2estream.connect.postgres;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;

/**
 * One column of a sink table and how a decoded Avro value is bound to it.
 *
 * @param name   column name (the Avro field name in lower case, or a {@code kafka_*} metadata column)
 * @param kind   its PostgreSQL type
 * @param schema the field's Avro schema, null for metadata columns
 */
public record Column(String name, ColumnKind kind, Schema schema) {

  public String sql() {
    return TableName.quote(name);
  }

  /** The placeholder in INSERT statements: JSON text is cast to jsonb by the server. */
  String placeholder() {
    return kind == ColumnKind.JSONB ? "CAST(? AS jsonb)" : "?";
  }

  /** Binds a decoded Avro value (or a metadata value) to parameter {@code index}. */
  void bind(final PreparedStatement ps, final int index, final Object value) throws SQLException {
    if (value == null) {
      ps.setNull(index, kind == ColumnKind.JSONB ? Types.VARCHAR : sqlTypeCode());
      return;
    }
    final Schema s = schema == null ? null : ColumnKind.nonNull(schema);
    final LogicalType logical = s == null ? null : s.getLogicalType();
    switch (kind) {
      case TEXT -> ps.setString(index, PostgresText.text(value));
      case INTEGER -> ps.setInt(index, ((Number) value).intValue());
      case BIGINT -> ps.setLong(index, ((Number) value).longValue());
      case REAL -> ps.setFloat(index, ((Number) value).floatValue());
      case DOUBLE -> ps.setDouble(index, ((Number) value).doubleValue());
      case BOOLEAN -> ps.setBoolean(index, (Boolean) value);
      case BYTEA -> ps.setBytes(index, bytes(value));
      case NUMERIC -> ps.setBigDecimal(index, new BigDecimal(new BigInteger(bytes(value)),
          ((LogicalTypes.Decimal) logical).getScale()));
      case TIMESTAMPTZ -> ps.setObject(index, OffsetDateTime.ofInstant(instant(logical, (Long) value), ZoneOffset.UTC));
      case TIMESTAMP -> ps.setObject(index, LocalDateTime.ofInstant(instant(logical, (Long) value), ZoneOffset.UTC));
      case DATE -> ps.setObject(index, LocalDate.ofEpochDay((Integer) value));
      case TIME -> ps.setObject(index, logical instanceof LogicalTypes.TimeMillis
          ? LocalTime.ofNanoOfDay((Integer) value * 1_000_000L) : LocalTime.ofNanoOfDay((Long) value * 1_000L));
      case JSONB -> ps.setString(index, PostgresText.json(value));
      default -> throw new IllegalStateException("unhandled column kind " + kind);
    }
  }

  private int sqlTypeCode() {
    return switch (kind) {
      case TEXT -> Types.VARCHAR;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case REAL -> Types.REAL;
      case DOUBLE -> Types.DOUBLE;
      case BOOLEAN -> Types.BOOLEAN;
      case BYTEA -> Types.BINARY;
      case NUMERIC -> Types.NUMERIC;
      case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
      case TIMESTAMP -> Types.TIMESTAMP;
      case DATE -> Types.DATE;
      case TIME -> Types.TIME;
      case JSONB -> Types.VARCHAR;
    };
  }

  private static Instant instant(final LogicalType logical, final long v) {
    if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.LocalTimestampMicros) {
      return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000L), Math.floorMod(v, 1_000_000L) * 1_000L);
    }
    if (logical instanceof LogicalTypes.TimestampNanos || logical instanceof LogicalTypes.LocalTimestampNanos) {
      return Instant.ofEpochSecond(Math.floorDiv(v, 1_000_000_000L), Math.floorMod(v, 1_000_000_000L));
    }
    return Instant.ofEpochMilli(v);
  }

  private static byte[] bytes(final Object value) {
    if (value instanceof GenericFixed f) {
      return f.bytes();
    }
    final ByteBuffer b = ((ByteBuffer) value).duplicate();
    final byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
