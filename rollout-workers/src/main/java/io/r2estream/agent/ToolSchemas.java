package io.r2estream.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.r2estream.llm.ToolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenAI tool schemas of the editing agent's four tools ({@code file_editor}, {@code search},
 * {@code execute_bash}, {@code finish}), for function-calling mode; read from the classpath resource
 * {@code io/r2estream/agent/tools.json}. Parameter names are R2E-Gym's; the descriptions are our own.
 */
public final class ToolSchemas {

  /** The classpath resource holding the schemas. */
  public static final String RESOURCE = "io/r2estream/agent/tools.json";
  private static final ArrayNode ALL = load();

  private ToolSchemas() {
  }

  /** All four schemas, as the {@code tools} array of a chat completion request (a fresh copy). */
  public static ArrayNode all() {
    return ALL.deepCopy();
  }

  /** The four tools as the LLM client offers them in a request (function-calling mode). */
  public static List<ToolDefinition> definitions() {
    final List<ToolDefinition> out = new ArrayList<>();
    for (final JsonNode t : ALL) {
      final JsonNode f = t.path("function");
      out.add(new ToolDefinition(f.path("name").asText(), f.path("description").asText(),
          f.path("parameters").toString()));
    }
    return List.copyOf(out);
  }

  /** The schema of one tool, or null when there is none of that name. */
  public static JsonNode of(final String tool) {
    for (final JsonNode t : ALL) {
      if (t.path("function").path("name").asText().equals(tool)) {
        return t.deepCopy();
      }
    }
    return null;
  }

  private static ArrayNode load() {
    try (InputStream in = ToolSchemas.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the tool schema resource " + RESOURCE + " is missing from the classpath");
      }
      return (ArrayNode) new ObjectMapper().readTree(in);
    } catch (final IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }
}
