package io.r2estream.connect.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as a plain JSON object: field names as in the schema, unions unwrapped (Avro's own JSON encoding
 * would write {@code {"double": 0.5}}), timestamps as ISO-8601 strings, enums as their symbol. Used for topics whose
 * dataset row is the record itself (rankings).
 */
final class AvroJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {
  }

  static ObjectNode toJson(final IndexedRecord record) {
    final ObjectNode row = NODES.objectNode();
    for (final Schema.Field f : record.getSchema().getFields()) {
      row.set(f.name(), value(record.get(f.pos())));
    }
    return row;
  }

  private static JsonNode value(final Object v) {
    if (v == null) {
      return NODES.nullNode();
    }
    if (v instanceof IndexedRecord r) {
      return toJson(r);
    }
    if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
      return NODES.textNode(v.toString());
    }
    if (v instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (v instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (v instanceof Double d) {
      return NODES.numberNode(d);
    }
    if (v instanceof Float fl) {
      return NODES.numberNode(fl);
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
    if (v instanceof Collection<?> c) {
      final ArrayNode a = NODES.arrayNode();
      c.forEach(e -> a.add(value(e)));
      return a;
    }
    if (v instanceof Map<?, ?> m) {
      final ObjectNode o = NODES.objectNode();
      m.forEach((k, e) -> o.set(k.toString(), value(e)));
      return o;
    }
    return NODES.textNode(v.toString());
  }
}
