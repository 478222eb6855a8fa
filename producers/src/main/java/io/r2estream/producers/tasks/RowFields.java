package io.r2estream.producers.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads of dataset row fields, each failing with one sentence that names the field and what it held. */
final class RowFields {

  /** One mapper for every dataset format: rows are written with their fields in insertion order. */
  static final ObjectMapper JSON = new ObjectMapper();

  private static final DateTimeFormatter SPACE_SEPARATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private RowFields() {
  }

  /** A string field that must be present and not blank. */
  static String required(final JsonNode row, final String field) {
    final String value = optional(row, field, null);
    if (value == null || value.isBlank()) {
      throw new RowException("field '" + field + "' is required and must be a non-empty string");
    }
    return value;
  }

  /** A string field, or {@code fallback} when it is absent or null. */
  static String optional(final JsonNode row, final String field, final String fallback) {
    final JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.isTextual()) {
      throw new RowException("field '" + field + "' must be a string, got " + n.getNodeType() + " " + abbreviate(n));
    }
    return n.textValue();
  }

  /** An int field, or {@code fallback} when absent. */
  static int integer(final JsonNode row, final String field, final int fallback) {
    final JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (!n.canConvertToInt() || !n.isIntegralNumber()) {
      throw new RowException("field '" + field + "' must be an integer, got " + abbreviate(n));
    }
    return n.intValue();
  }

  /**
   * A list of strings given as a JSON array or, as in the Hugging Face SWE-bench datasets, as a string holding a
   * JSON array; empty when absent.
   */
  static List<String> strings(final JsonNode row, final String field) {
    JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return List.of();
    }
    if (n.isTextual()) {
      try {
        n = JSON.readTree(n.textValue().isBlank() ? "[]" : n.textValue());
      } catch (JsonProcessingException e) {
        throw new RowException("field '" + field + "' must be a JSON array of strings, got " + abbreviate(n));
      }
    }
    if (!n.isArray()) {
      throw new RowException("field '" + field + "' must be an array of strings, got " + abbreviate(n));
    }
    final List<String> out = new ArrayList<>();
    for (final JsonNode item : n) {
      if (!item.isTextual()) {
        throw new RowException("field '" + field + "' must hold strings only, got " + abbreviate(item));
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** A JSON-encoded string field parsed into a tree, or {@code null} when absent. */
  static JsonNode embeddedJson(final JsonNode row, final String field) {
    final String text = optional(row, field, null);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new RowException("field '" + field + "' must hold a JSON document: " + e.getOriginalMessage());
    }
  }

  /** A JSON object of string values written as a JSON string with sorted keys (expected_output_json style). */
  static String statusMapJson(final JsonNode row, final String field) {
    final JsonNode map = embeddedJson(row, field);
    if (map == null) {
      return "{}";
    }
    if (!map.isObject()) {
      throw new RowException("field '" + field + "' must hold a JSON object, got " + abbreviate(map));
    }
    final Map<String, String> sorted = new TreeMap<>();
    map.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
    return write(JSON.valueToTree(sorted));
  }

  /**
   * An instant written as ISO-8601 (with or without offset; without means UTC), {@code yyyy-MM-dd HH:mm:ss} (UTC),
   * or epoch milliseconds; {@code fallback} when absent.
   */
  static Instant instant(final JsonNode row, final String field, final Instant fallback) {
    final JsonNode n = row.get(field);
    if (n == null || n.isNull()) {
      return fallback;
    }
    if (n.isIntegralNumber()) {
      return Instant.ofEpochMilli(n.longValue());
    }
    final String s = optional(row, field, "").trim();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException notOffset) {
      try {
        return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDateTime.parse(s, SPACE_SEPARATED).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notSpaced) {
          throw new RowException("field '" + field + "' must be an ISO-8601 date-time, got '" + s + "'");
        }
      }
    }
  }

  static ArrayNode array(final List<String> values) {
    final ArrayNode a = JSON.createArrayNode();
    values.forEach(a::add);
    return a;
  }

  static String write(final JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static String abbreviate(final JsonNode n) {
    final String s = n.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
