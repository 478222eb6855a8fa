package io.r2estream.llm;

import java.util.Objects;

/**
 * A function call the model asked for (OpenAI {@code tool_calls[]} of type {@code function}); an assistant message
 * carrying it goes back into the history, followed by a {@code tool} message answering {@code id}.
 *
 * @param id        the call's id, which the answering {@code tool} message repeats
 * @param name      the function's name
 * @param arguments the arguments as the model wrote them: a JSON object as text, possibly malformed, which is the
 *                  caller's to parse and report back
 */
public record ToolCall(String id, String name, String arguments) {

  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(arguments, "arguments");
  }
}
