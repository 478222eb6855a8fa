package io.r2estream.connect.postgres;

import io.r2estream.connect.avro.AvroJson;

/** Values as PostgreSQL stores them in text and jsonb columns, which cannot hold NUL characters (they become U+FFFD). */
final class PostgresText {

  private PostgresText() {
  }

  /** Text for a {@code text} column. */
  static String text(final Object v) {
    return clean(v.toString());
  }

  /** JSON text for a {@code jsonb} column ({@link AvroJson}). */
  static String json(final Object v) {
    return AvroJson.toJson(v, PostgresText::clean).toString();
  }

  private static String clean(final String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
