package io.r2estream.streams.envgen;

/**
 * Parses one version of a Python file into its {@link PythonModule}. Implementations are not thread-safe: use one
 * instance per thread.
 */
public interface PythonParser {

  /** Parses a whole file; a file that does not parse yields a module whose {@code syntaxError()} says why. */
  PythonModule parse(String source);
}
