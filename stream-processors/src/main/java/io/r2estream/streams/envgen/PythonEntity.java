package io.r2estream.streams.envgen;

import java.util.List;

/**
 * A top-level unit of a Python file as R2E-Gym's entity analysis sees it: a function, a class, a method (a
 * function directly in a top-level class, named {@code Class.method}), an {@code import} statement, or any other
 * top-level statement. Functions, classes and methods are identified by kind and name, imports and statements by
 * their source text. Names, methods and texts are computed on first use: most entities are never looked at.
 *
 * <p>Two parsers produce entities ({@link TokenPythonParser}, {@link TreeSitterPythonParser}); they agree on every
 * value this class exposes except the spelling of {@link #normalForm()}, which is only compared within one parser.
 */
public abstract class PythonEntity {

  /** What the entity is; the Avro {@code EntityKind} only has the first three. */
  public enum Kind { FUNCTION, CLASS, METHOD, IMPORT, STATEMENT }

  private final Kind kind;
  private final int startLine;
  private final int endLine;
  private final PythonEntity owner;
  private String name;
  private List<PythonEntity> methods;
  private String content;

  /** @param owner the class of a method, else null */
  protected PythonEntity(final Kind kind, final int startLine, final int endLine, final PythonEntity owner) {
    this.kind = kind;
    this.startLine = startLine;
    this.endLine = endLine;
    this.owner = owner;
  }

  /** The name of the function or class itself (no class prefix); only called on definitions. */
  protected abstract String definitionName();

  /** The methods of this class, in source order; only called on classes. */
  protected abstract List<PythonEntity> findMethods();

  /** The source text of this entity, decorators included. */
  protected abstract String text();

  /**
   * The syntax without comments, formatting, and expression statements that are a bare string (docstrings
   * included), decorators included: equal normal forms mean only docstrings, comments or formatting changed.
   */
  public abstract String normalForm();

  public Kind kind() {
    return kind;
  }

  /** Function or class name, {@code Class.method} for methods, the source text for imports and statements. */
  public String name() {
    if (!isDefinition()) {
      return content();
    }
    if (name == null) {
      final String own = definitionName();
      name = owner == null ? own : owner.name() + "." + own;
    }
    return name;
  }

  /** The part after the last '.', as R2E's test-match rule compares it. */
  public String shortName() {
    final String n = name();
    return n.substring(n.lastIndexOf('.') + 1);
  }

  /** 1-based first line (the first decorator when decorators belong to the entity). */
  public int startLine() {
    return startLine;
  }

  /** 1-based last line, inclusive. */
  public int endLine() {
    return endLine;
  }

  /** Whether this is a function, class or method (identified by name rather than by content). */
  public boolean isDefinition() {
    return kind == Kind.FUNCTION || kind == Kind.CLASS || kind == Kind.METHOD;
  }

  /** Methods of a class, in source order; empty for other kinds. */
  public List<PythonEntity> methods() {
    if (methods == null) {
      methods = kind == Kind.CLASS ? List.copyOf(findMethods()) : List.of();
    }
    return methods;
  }

  /** The source text; for a method, the source of its whole class (as R2E-Gym records it). */
  public String content() {
    if (content == null) {
      content = owner != null ? owner.content() : text();
    }
    return content;
  }

  /** The key R2E-Gym matches old and new entities by. */
  String identity() {
    return kind.name() + ':' + name();
  }

  @Override
  public String toString() {
    return kind + " " + name() + " [" + startLine + "-" + endLine + "]";
  }
}
