package io.r2estream.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;

/**
 * A function the model may call (an entry of the OpenAI {@code tools} array, type {@code function}).
 *
 * @param name        the function's name (letters, digits, {@code _} and {@code -}, as OpenAI requires)
 * @param description what it does, for the model
 * @param parameters  its arguments as a JSON Schema object, as text; checked to be a JSON object
 */
public record ToolDefinition(String name, String description, String parameters) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ToolDefinition {
    Objects.requireNonNull(description, "description");
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("tool name must be 1-64 letters, digits, '_' or '-', got '" + name + "'");
    }
    schema(name, parameters);
  }

  /** The parameters schema as a JSON tree (a fresh copy). */
  public JsonNode parametersJson() {
    return schema(name, parameters);
  }

  private static JsonNode schema(final String name, final String parameters) {
    try {
      final JsonNode node = parameters == null ? null : JSON.readTree(parameters);
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException("parameters of tool '" + name + "' must be a JSON object, got "
            + parameters);
      }
      return node;
    } catch (IOException e) {
      throw new IllegalArgumentException("parameters of tool '" + name + "' are not JSON: " + parameters, e);
    }
  }
}
