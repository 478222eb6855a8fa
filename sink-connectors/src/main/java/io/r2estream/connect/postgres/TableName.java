package io.r2estream.connect.postgres;

import java.util.Objects;

/** A table in a PostgreSQL schema; {@link #sql()} is the quoted, schema-qualified name for statements. */
public record TableName(String schema, String table) {

  public TableName {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(table, "table");
  }

  public String sql() {
    return quote(schema) + "." + quote(table);
  }

  /** Quotes an identifier so that any name, reserved words included, is taken literally. */
  static String quote(final String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public String toString() {
    return schema + "." + table;
  }
}
