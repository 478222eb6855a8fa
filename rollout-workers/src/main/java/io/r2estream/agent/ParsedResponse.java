package io.r2estream.agent;

/**
 * What {@link ActionParser} made of one model response: an action, no function call at all (the agent answers with
 * the continue message), or something that tried to be a call and could not be read.
 */
public sealed interface ParsedResponse {

  /** The text the model wrote before its call (text mode) or as message content (function-calling mode). */
  String thought();

  /** A tool call was found; the tool may still be unknown to the {@link ToolBox}. */
  record Found(String thought, Action action) implements ParsedResponse {
  }

  /** The response holds no function call. */
  record NoFunctionCall(String thought) implements ParsedResponse {
  }

  /** The response opened a call that cannot be read; {@code reason} says why in one sentence. */
  record Malformed(String thought, String reason) implements ParsedResponse {
  }
}
