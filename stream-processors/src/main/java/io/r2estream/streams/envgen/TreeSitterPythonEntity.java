package io.r2estream.streams.envgen;

import java.util.List;
import org.treesitter.TSNode;

/** A {@link PythonEntity} backed by tree-sitter nodes; node accesses cross JNI, so they happen on demand. */
final class TreeSitterPythonEntity extends PythonEntity {

  private final TreeSitterPythonModule module;
  private final TSNode node;
  private final TSNode definition;

  /**
   * @param node       the whole entity, decorators included
   * @param definition the function or class definition inside it (the node itself when not decorated)
   * @param owner      the class of a method, else null
   */
  TreeSitterPythonEntity(final TreeSitterPythonModule module, final Kind kind, final int startLine,
      final int endLine, final TSNode node, final TSNode definition, final TreeSitterPythonEntity owner) {
    super(kind, startLine, endLine, owner);
    this.module = module;
    this.node = node;
    this.definition = definition;
  }

  @Override
  protected String definitionName() {
    return module.nameOf(definition);
  }

  @Override
  protected List<PythonEntity> findMethods() {
    return module.methodsOf(this, definition);
  }

  @Override
  protected String text() {
    return module.text(node);
  }

  @Override
  public String normalForm() {
    return module.normalForm(node);
  }
}
