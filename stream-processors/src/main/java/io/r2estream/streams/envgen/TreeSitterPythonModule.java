package io.r2estream.streams.envgen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.treesitter.TSNode;
import org.treesitter.TSPoint;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;

/**
 * A {@link PythonModule} parsed by tree-sitter. Holds the tree (native memory freed when this object is collected),
 * so it should live only as long as the commit being analysed or the parse cache holding it.
 */
final class TreeSitterPythonModule extends PythonModule {

  private final TSTree tree;
  private final boolean ascii;
  private final boolean decoratorsInEntity;
  private byte[] utf8;

  TreeSitterPythonModule(final String source, final TSTree tree, final String syntaxError,
      final boolean decoratorsInEntity) {
    super(source, syntaxError);
    this.tree = tree;
    this.ascii = isAscii(source);
    this.decoratorsInEntity = decoratorsInEntity;
    topLevel(topLevel(tree.getRootNode()));
  }

  private List<PythonEntity> topLevel(final TSNode root) {
    final int count = root.getNamedChildCount();
    final List<PythonEntity> entities = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      final TSNode node = root.getNamedChild(i);
      final String type = node.getType();
      if ("comment".equals(type)) {
        continue;
      }
      final TSNode definition = "decorated_definition".equals(type) ? node.getChildByFieldName("definition") : node;
      final String defType = definition == node ? type : definition.getType();
      final PythonEntity.Kind kind = "function_definition".equals(defType) ? PythonEntity.Kind.FUNCTION
          : "class_definition".equals(defType) ? PythonEntity.Kind.CLASS
          : "import_statement".equals(type) ? PythonEntity.Kind.IMPORT
          : PythonEntity.Kind.STATEMENT;
      entities.add(entity(kind, node, definition, null));
    }
    return entities;
  }

  /** The methods of a class: functions (async, decorated) directly in its body. */
  List<PythonEntity> methodsOf(final TreeSitterPythonEntity cls, final TSNode classDefinition) {
    final TSNode body = classDefinition.getChildByFieldName("body");
    final int n = body.isNull() ? 0 : body.getNamedChildCount();
    final List<PythonEntity> methods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      final TSNode member = body.getNamedChild(i);
      final TSNode fn = "decorated_definition".equals(member.getType()) ? member.getChildByFieldName("definition")
          : member;
      if ("function_definition".equals(fn.getType())) {
        methods.add(entity(PythonEntity.Kind.METHOD, member, fn, cls));
      }
    }
    return List.copyOf(methods);
  }

  private PythonEntity entity(final PythonEntity.Kind kind, final TSNode node, final TSNode definition,
      final TreeSitterPythonEntity owner) {
    final int start = (decoratorsInEntity ? node : definition).getStartPoint().getRow() + 1;
    final TSPoint end = node.getEndPoint();
    // A node ending at column 0 stops before that line.
    final int endLine = end.getColumn() == 0 && end.getRow() + 1 > start ? end.getRow() : end.getRow() + 1;
    return new TreeSitterPythonEntity(this, kind, start, endLine, node, definition, owner);
  }

  /** The name of a function or class definition. */
  String nameOf(final TSNode definition) {
    final TSNode name = definition.getChildByFieldName("name");
    return name.isNull() ? "" : text(name);
  }

  TSTree tree() {
    return tree;
  }

  /** Source text of a node; tree-sitter offsets are UTF-8 bytes, equal to char indexes for ASCII sources. */
  String text(final TSNode node) {
    final int start = node.getStartByte();
    final int end = node.getEndByte();
    if (ascii) {
      return source().substring(start, end);
    }
    if (utf8 == null) {
      utf8 = source().getBytes(StandardCharsets.UTF_8);
    }
    return new String(utf8, start, end - start, StandardCharsets.UTF_8);
  }

  /** See {@link PythonEntity#normalForm()}. */
  String normalForm(final TSNode root) {
    final StringBuilder sb = new StringBuilder(256);
    final TSTreeCursor c = new TSTreeCursor(root);
    int depth = 0;
    while (true) {
      final TSNode n = c.currentNode();
      final String type = n.getType();
      boolean descended = false;
      if (!isIgnored(n, type)) {
        if (n.getChildCount() == 0 || "string_content".equals(type)) {
          // string_content holds its escape sequences as children: its whole text is what the string says.
          appendLeaf(sb, n, type);
        } else if (c.gotoFirstChild()) {
          sb.append('(').append(type).append(' ');
          depth++;
          descended = true;
        }
      }
      if (descended) {
        continue;
      }
      while (depth > 0 && !c.gotoNextSibling()) {
        c.gotoParent();
        depth--;
        sb.append(')');
      }
      if (depth == 0) {
        return sb.toString();
      }
    }
  }

  private void appendLeaf(final StringBuilder sb, final TSNode n, final String type) {
    if (!n.isNamed()) {
      sb.append(type).append(' ');
    } else if ("string_start".equals(type)) {
      // Quote style is formatting to Python's ast; only the prefix (r, b, f, u) changes meaning.
      final String q = text(n);
      sb.append("str:");
      for (int i = 0; i < q.length() && Character.isLetter(q.charAt(i)); i++) {
        sb.append(Character.toLowerCase(q.charAt(i)));
      }
      sb.append(' ');
    } else if (!"string_end".equals(type)) {
      sb.append(type).append('=').append(text(n)).append(' ');
    }
  }

  private static boolean isIgnored(final TSNode n, final String type) {
    if ("comment".equals(type) || "line_continuation".equals(type)) {
      return true;
    }
    if (!"expression_statement".equals(type)) {
      return false;
    }
    final int count = n.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      final String t = n.getNamedChild(i).getType();
      if (!"string".equals(t) && !"concatenated_string".equals(t)) {
        return false;
      }
    }
    return count > 0;
  }

  static boolean isAscii(final String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
