package io.r2estream.streams.envgen;

import java.util.List;

/** A {@link PythonEntity} located by token indexes in a {@link TokenPythonModule}. */
final class TokenPythonEntity extends PythonEntity {

  private final TokenPythonModule module;
  private final int firstToken;
  private final int lastToken;
  private final int endOffset;
  private final int nameToken;
  private final int body;

  /**
   * @param firstToken first token (a decorator's {@code @} when decorated)
   * @param lastToken  last code token
   * @param endOffset  char offset where the text ends (after a trailing comment the entity keeps)
   * @param nameToken  the name of a definition, -1 for other statements
   * @param body       the INDENT opening a class body, else -1
   */
  TokenPythonEntity(final TokenPythonModule module, final Kind kind, final int startLine, final int endLine,
      final int firstToken, final int lastToken, final int endOffset, final int nameToken, final int body,
      final TokenPythonEntity owner) {
    super(kind, startLine, endLine, owner);
    this.module = module;
    this.firstToken = firstToken;
    this.lastToken = lastToken;
    this.endOffset = endOffset;
    this.nameToken = nameToken;
    this.body = body;
  }

  int body() {
    return body;
  }

  @Override
  protected String definitionName() {
    return module.nameAt(nameToken);
  }

  @Override
  protected List<PythonEntity> findMethods() {
    return module.methodsOf(this);
  }

  @Override
  protected String text() {
    return module.text(firstToken, endOffset);
  }

  @Override
  public String normalForm() {
    return module.normalForm(firstToken, lastToken);
  }
}
