package io.r2estream.agent;

/** A usage or file error of a tool, shown to the agent as {@code ERROR: <message>} rather than thrown further. */
final class EditorError extends RuntimeException {

  EditorError(final String message) {
    super(message);
  }
}
