package io.r2estream.streams.envgen;

/**
 * The selector's default Python parser: {@link PythonTokens} (CPython's tokenizer rules) then the grammar check of
 * {@link PythonSyntax}, and the entities read from the tokens. Two orders of magnitude cheaper than tree-sitter
 * through JNI, which is what lets the env-generation topology keep up with ingestion; {@link TreeSitterPythonParser}
 * stays as the reference the tests compare it with. Stateless apart from its setting, so thread-safe.
 */
public final class TokenPythonParser implements PythonParser {

  private final boolean decoratorsInEntity;

  /** @param decoratorsInEntity whether decorator lines belong to the decorated function, class or method */
  public TokenPythonParser(final boolean decoratorsInEntity) {
    this.decoratorsInEntity = decoratorsInEntity;
  }

  @Override
  public PythonModule parse(final String source) {
    final PythonTokens tokens = PythonTokens.tokenize(source);
    return new TokenPythonModule(tokens, PythonSyntax.check(tokens), decoratorsInEntity);
  }
}
