package io.r2estream.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One tool call of the editing agent: the tool's name and its parameters in the order the model wrote them. Values
 * are strings whichever mode produced them (text mode has nothing else; function-calling arguments are rendered the
 * way R2E-Gym's tools received them on their command line, see {@link ActionParser#parseToolCall}).
 */
public record Action(String name, Map<String, String> parameters) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public Action {
    Objects.requireNonNull(name, "name");
    parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
  }

  /** The parameter's value, or null when the model did not give it. */
  public String parameter(final String key) {
    return parameters.get(key);
  }

  /**
   * The normalized text-mode form kept in the history (R2E-Gym stores {@code thought + "\n\n" + this}): one
   * {@code <parameter=KEY>VALUE</parameter>} line per parameter, indented by two spaces.
   */
  public String toXml() {
    final StringBuilder xml = new StringBuilder("<function=").append(name).append(">\n");
    parameters.forEach((k, v) -> xml.append("  <parameter=").append(k).append('>').append(v).append("</parameter>\n"));
    return xml.append("</function>").toString();
  }

  /**
   * The parameters as function-calling arguments (a JSON object as text), each value typed as the tool's schema
   * declares it ({@code insert_line} a number, {@code view_range} an array, {@code concise} a boolean), so that
   * {@link ActionParser#parseToolCall} reads back the same action. A value that does not fit its declared type
   * stays a string, for the tool to reject as it would the model's.
   */
  public String argumentsJson() {
    final JsonNode schema = ToolSchemas.of(name);
    final JsonNode properties = schema == null ? JSON.createObjectNode()
        : schema.path("function").path("parameters").path("properties");
    final ObjectNode args = JSON.createObjectNode();
    parameters.forEach((k, v) -> args.set(k, typed(v, properties.path(k).path("type").asText("string"))));
    return args.toString();
  }

  private static JsonNode typed(final String value, final String type) {
    final JsonNode text = JSON.getNodeFactory().textNode(value);
    switch (type) {
      case "integer":
        try {
          return JSON.getNodeFactory().numberNode(Long.parseLong(value.strip()));
        } catch (NumberFormatException e) {
          return text;
        }
      case "boolean":
        return value.strip().equalsIgnoreCase("true") ? JSON.getNodeFactory().booleanNode(true)
            : value.strip().equalsIgnoreCase("false") ? JSON.getNodeFactory().booleanNode(false) : text;
      case "array":
        try {
          final JsonNode parsed = JSON.readTree(value);
          return parsed != null && parsed.isArray() ? parsed : text;
        } catch (JsonProcessingException e) {
          return text;
        }
      default:
        return text;
    }
  }
}
