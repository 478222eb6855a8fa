package io.r2estream.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the agent's tool call out of a model response, in both of R2E-Gym's modes.
 *
 * <p><b>Text mode</b> (the mode R2E-Gym's and DeepSWE's models were trained in): the first non-greedy match of
 * {@code <function=...</function>} is the call and the text before it (stripped) the thought; inside it the tool's
 * name comes from {@code <function\s*=\s*([^>]+)>} and each parameter from
 * {@code <parameter\s*=\s*([^>]+)>(.*?)</parameter>}, key and value stripped, a repeated key keeping its first
 * position and last value. Where R2E-Gym silently treats a broken call as no call, this parser says
 * {@link ParsedResponse.Malformed}: a {@code <function} with no closing {@code </function>}, a call that names no
 * tool, or a {@code <parameter=...>} left open.
 *
 * <p><b>Function-calling mode</b>: the first entry of the assistant message's {@code tool_calls}; its JSON
 * {@code arguments} become string parameters as R2E-Gym's tools saw them on their command line (Python's
 * {@code str()}): strings as they are, numbers in JSON form, booleans {@code True}/{@code False}, arrays as
 * {@code [11, 12]} (strings in single quotes), objects as JSON, nulls dropped. Arguments that are not a JSON object
 * make the response {@link ParsedResponse.Malformed}.
 */
public final class ActionParser {

  private static final Pattern CALL = Pattern.compile("(?s)<function=.*?</function>");
  private static final Pattern NAME = Pattern.compile("<function\\s*=\\s*([^>]+)>");
  private static final Pattern PARAMETER = Pattern.compile("(?s)<parameter\\s*=\\s*([^>]+)>(.*?)</parameter>");
  private static final Pattern OPEN_PARAMETER = Pattern.compile("<parameter\\s*=");
  private static final Pattern OPEN_FUNCTION = Pattern.compile("<function\\s*=\\s*([^>]*)>?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ActionParser() {
  }

  /** Parses a text-mode response. */
  public static ParsedResponse parseText(final String response) {
    return parse(response, true);
  }

  /**
   * Parses an action as trajectories record it ({@link Action#toXml()}), values exactly as written: a call made in
   * function-calling mode keeps the leading indentation of its {@code old_str}, which the model-facing text parser
   * would strip.
   */
  public static ParsedResponse parseRecorded(final String action) {
    return parse(action, false);
  }

  private static ParsedResponse parse(final String response, final boolean stripValues) {
    final Matcher call = CALL.matcher(response);
    if (!call.find()) {
      final Matcher open = OPEN_FUNCTION.matcher(response);
      if (open.find()) {
        return new ParsedResponse.Malformed(response.substring(0, open.start()).strip(), "found '"
            + open.group().strip() + "' but no <function=NAME>...</function> block");
      }
      return new ParsedResponse.NoFunctionCall(response.strip());
    }
    final String thought = response.substring(0, call.start()).strip();
    final String body = call.group();
    final Matcher name = NAME.matcher(body);
    if (!name.find() || name.group(1).strip().isEmpty()) {
      return new ParsedResponse.Malformed(thought, "the call names no tool: "
          + body.substring(0, Math.min(body.length(), 60)));
    }
    final Map<String, String> parameters = new LinkedHashMap<>();
    final Matcher p = PARAMETER.matcher(body);
    final StringBuilder rest = new StringBuilder();
    int last = 0;
    while (p.find()) {
      parameters.put(p.group(1).strip(), stripValues ? p.group(2).strip() : p.group(2));
      rest.append(body, last, p.start());
      last = p.end();
    }
    rest.append(body.substring(last));
    final Matcher open = OPEN_PARAMETER.matcher(rest);
    if (open.find()) {
      final int end = rest.indexOf(">", open.start());
      return new ParsedResponse.Malformed(thought, "the parameter '"
          + rest.substring(open.start(), end < 0 ? rest.length() : end + 1) + "' is never closed by </parameter>");
    }
    return new ParsedResponse.Found(thought, new Action(name.group(1).strip(), parameters));
  }

  /**
   * Parses an OpenAI assistant message ({@code {"content": ..., "tool_calls": [...]}}); only the first tool call
   * counts, as in R2E-Gym.
   */
  public static ParsedResponse parseMessage(final JsonNode message) {
    final String content = message.path("content").isTextual() ? message.path("content").asText() : "";
    final JsonNode calls = message.path("tool_calls");
    if (!calls.isArray() || calls.isEmpty()) {
      return new ParsedResponse.NoFunctionCall(content.strip());
    }
    final JsonNode function = calls.get(0).path("function");
    final JsonNode arguments = function.path("arguments");
    if (!function.path("name").isTextual()) {
      return new ParsedResponse.Malformed(content.strip(), "the first tool call has no function name: " + calls.get(0));
    }
    final String json = arguments.isTextual() ? arguments.asText() : arguments.isMissingNode() ? "" : arguments.toString();
    return parseToolCall(content, function.path("name").asText(), json);
  }

  /** Parses one function-calling tool call: its name and its JSON arguments string. */
  public static ParsedResponse parseToolCall(final String content, final String name, final String argumentsJson) {
    final String thought = content == null ? "" : content.strip();
    if (name == null || name.isBlank()) {
      return new ParsedResponse.Malformed(thought, "the tool call has no function name");
    }
    final JsonNode args;
    try {
      args = argumentsJson == null || argumentsJson.isBlank() ? JSON.createObjectNode() : JSON.readTree(argumentsJson);
    } catch (final JsonProcessingException e) {
      return new ParsedResponse.Malformed(thought, "the arguments of tool call '" + name + "' are not valid JSON ("
          + e.getOriginalMessage() + "): " + argumentsJson);
    }
    if (args == null || !args.isObject()) {
      return new ParsedResponse.Malformed(thought, "the arguments of tool call '" + name
          + "' are not a JSON object: " + argumentsJson);
    }
    final Map<String, String> parameters = new LinkedHashMap<>();
    args.fields().forEachRemaining(f -> {
      if (!f.getValue().isNull()) {
        parameters.put(f.getKey(), pythonStr(f.getValue(), false));
      }
    });
    return new ParsedResponse.Found(thought, new Action(name.strip(), parameters));
  }

  /** Python's {@code str()} (or {@code repr()} inside containers) of a JSON value. */
  private static String pythonStr(final JsonNode v, final boolean nested) {
    if (v.isTextual()) {
      return nested ? "'" + v.asText().replace("\\", "\\\\").replace("'", "\\'") + "'" : v.asText();
    }
    if (v.isBoolean()) {
      return v.asBoolean() ? "True" : "False";
    }
    if (v.isNull()) {
      return "None";
    }
    if (v.isArray()) {
      final List<String> items = new ArrayList<>();
      v.forEach(item -> items.add(pythonStr(item, true)));
      return "[" + String.join(", ", items) + "]";
    }
    return v.toString();
  }
}
