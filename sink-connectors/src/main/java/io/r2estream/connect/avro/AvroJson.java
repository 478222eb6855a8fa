package io.r2estream.connect.avro;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Decoded Avro values as plain JSON, for both sinks (dataset rows, PostgreSQL jsonb columns): records as objects with
 * their field names, unions unwrapped (Avro's own JSON encoding would write {@code {"double": 0.5}}), timestamps as
 * ISO-8601 strings, enums as their symbol, bytes and fixed as base64, non-finite doubles as strings ("NaN", which JSON
 * numbers cannot hold). Strings pass through a caller's function (PostgreSQL cannot hold NUL characters).
 */
public final class AvroJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {
  }

  /** A record as a JSON object, strings unchanged. */
  public static ObjectNode toJson(final IndexedRecord record) {
    return (ObjectNode) toJson(record, UnaryOperator.identity());
  }

  /** Any decoded Avro value as JSON, every string (values and map keys) through {@code strings}. */
  public static JsonNode toJson(final Object v, final UnaryOperator<String> strings) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof IndexedRecord r) {
      final ObjectNode row = NODES.objectNode();
      for (final Schema.Field f : r.getSchema().getFields()) {
        row.set(f.name(), toJson(r.get(f.pos()), strings));
      }
      return row;
    }
    if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?>) {
      return NODES.textNode(strings.apply(v.toString()));
    }
    if (v instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof Double || v instanceof Float) {
      final double d = ((Number) v).doubleValue();
      return Double.isFinite(d) ? (v instanceof Float f ? NODES.numberNode(f) : NODES.numberNode(d))
          : NODES.textNode(v.toString());
    }
    if (v instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (v instanceof Instant t) {
      return NODES.textNode(t.toString());
    }
    if (v instanceof ByteBuffer b) {
      final ByteBuffer copy = b.duplicate();
      final byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof GenericFixed f) {
      return NODES.textNode(Base64.getEncoder().encodeToString(f.bytes()));
    }
    if (v instanceof Collection<?> c) {
      final ArrayNode a = NODES.arrayNode();
      c.forEach(e -> a.add(toJson(e, strings)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      final ObjectNode o = NODES.objectNode();
      m.forEach((k, e) -> o.set(strings.apply(k.toString()), toJson(e, strings)));
      return o;
    }
    return NODES.textNode(strings.apply(v.toString()));
  }
}
