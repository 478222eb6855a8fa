package io.r2estream.connect.postgres;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Renders decoded Avro values (records, arrays, maps, and what they hold) as JSON text for {@code jsonb} columns.
 * Records become objects with their field names, bytes become base64 strings, non-finite doubles become strings
 * ("NaN"), and NUL characters become U+FFFD because PostgreSQL text and jsonb cannot hold them.
 */
final class AvroJson {

  private AvroJson() {
  }

  static String toJson(final Object value) {
    final StringBuilder sb = new StringBuilder(256);
    write(value, sb);
    return sb.toString();
  }

  private static void write(final Object v, final StringBuilder sb) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof GenericRecord r) {
      sb.append('{');
      boolean first = true;
      for (final org.apache.avro.Schema.Field f : r.getSchema().getFields()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(f.name(), sb);
        sb.append(':');
        write(r.get(f.pos()), sb);
      }
      sb.append('}');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (final Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(String.valueOf(e.getKey()), sb);
        sb.append(':');
        write(e.getValue(), sb);
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (final Object item : c) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(item, sb);
      }
      sb.append(']');
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      final double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(v);
      } else {
        string(v.toString(), sb);
      }
    } else if (v instanceof ByteBuffer b) {
      final ByteBuffer copy = b.duplicate();
      final byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      string(Base64.getEncoder().encodeToString(bytes), sb);
    } else if (v instanceof GenericFixed f) {
      string(Base64.getEncoder().encodeToString(f.bytes()), sb);
    } else if (v instanceof GenericEnumSymbol<?> e) {
      string(e.toString(), sb);
    } else {
      string(v.toString(), sb); // Utf8, String, and anything else with a textual form
    }
  }

  private static void string(final String s, final StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\0' -> sb.append('\uFFFD');
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** Text for a {@code text} column: NUL characters, which PostgreSQL rejects, become U+FFFD. */
  static String text(final Object v) {
    final String s = v.toString();
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }
}
