package io.r2estream.streams.envgen;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.treesitter.TSNode;
import org.treesitter.TSPoint;
import org.treesitter.TSTree;
import org.treesitter.TSTreeCursor;

/**
 * One parsed version of a Python file: its top-level entities with their line spans, whether it parses, and
 * the text of any node. Holds the tree-sitter tree (native memory freed when this object is collected), so it
 * should live only as long as the commit being analysed.
 */
public final class PythonModule {

  private final String source;
  private final TSTree tree;
  private final String syntaxError;
  private final boolean ascii;
  private final boolean decoratorsInEntity;
  private final List<PythonEntity> topLevel;
  private byte[] utf8;
  private Map<String, PythonEntity> firstDefinitions;
  private Map<String, PythonEntity> firstStatements;

  PythonModule(final String source, final TSTree tree, final String syntaxError, final boolean decoratorsInEntity) {
    this.source = source;
    this.tree = tree;
    this.syntaxError = syntaxError;
    this.ascii = isAscii(source);
    this.decoratorsInEntity = decoratorsInEntity;
    this.topLevel = topLevel(tree.getRootNode());
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
  List<PythonEntity> methodsOf(final PythonEntity cls, final TSNode classDefinition) {
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
      final PythonEntity owner) {
    final int start = (decoratorsInEntity ? node : definition).getStartPoint().getRow() + 1;
    final TSPoint end = node.getEndPoint();
    // A node ending at column 0 stops before that line.
    final int endLine = end.getColumn() == 0 && end.getRow() + 1 > start ? end.getRow() : end.getRow() + 1;
    return new PythonEntity(this, kind, start, endLine, node, definition, owner);
  }

  /** The name of a function or class definition. */
  String nameOf(final TSNode definition) {
    final TSNode name = definition.getChildByFieldName("name");
    return name.isNull() ? "" : text(name);
  }

  public String source() {
    return source;
  }

  TSTree tree() {
    return tree;
  }

  /** Null when the file parses; otherwise where and why it does not, e.g. "line 3: unexpected 'print x'". */
  public String syntaxError() {
    return syntaxError;
  }

  /** Top-level functions, classes, imports and statements in source order (methods hang off their class). */
  public List<PythonEntity> entities() {
    return topLevel;
  }

  /** Adds to {@code out} the entities whose span covers a 1-based line: a top-level entity and its method. */
  public void entitiesAt(final int line, final Collection<PythonEntity> out) {
    // Top-level entities do not nest; only statements separated by ';' share a line, hence the walk back.
    for (int i = lastStartingAtOrBefore(topLevel, line); i >= 0; i--) {
      final PythonEntity top = topLevel.get(i);
      if (top.endLine() < line) {
        break;
      }
      out.add(top);
      final int m = lastStartingAtOrBefore(top.methods(), line);
      if (m >= 0 && top.methods().get(m).endLine() >= line) {
        out.add(top.methods().get(m));
      }
    }
  }

  /** The first entity with this kind and name (definitions) or text (imports, statements), as R2E compares. */
  public PythonEntity first(final PythonEntity.Kind kind, final String nameOrText) {
    if (kind == PythonEntity.Kind.METHOD) {
      // Only the methods of the class with that name are materialised.
      final int dot = nameOrText.indexOf('.');
      final PythonEntity cls = dot < 0 ? null : first(PythonEntity.Kind.CLASS, nameOrText.substring(0, dot));
      if (cls != null) {
        for (final PythonEntity m : cls.methods()) {
          if (m.name().equals(nameOrText)) {
            return m;
          }
        }
      }
      return null;
    }
    final boolean definition = kind == PythonEntity.Kind.FUNCTION || kind == PythonEntity.Kind.CLASS;
    if (definition ? firstDefinitions == null : firstStatements == null) {
      final Map<String, PythonEntity> index = new HashMap<>();
      for (final PythonEntity e : topLevel) {
        if (e.isDefinition() == definition) {
          index.putIfAbsent(e.identity(), e);
        }
      }
      if (definition) {
        firstDefinitions = index;
      } else {
        firstStatements = index;
      }
    }
    return (definition ? firstDefinitions : firstStatements).get(kind.name() + ':' + nameOrText);
  }

  /** Whether an entity with the identity of {@code e} (kind + name, or kind + text) exists in this version. */
  boolean contains(final PythonEntity e) {
    return first(e.kind(), e.name()) != null;
  }

  /** Source text of a node; tree-sitter offsets are UTF-8 bytes, equal to char indexes for ASCII sources. */
  String text(final TSNode node) {
    final int start = node.getStartByte();
    final int end = node.getEndByte();
    if (ascii) {
      return source.substring(start, end);
    }
    if (utf8 == null) {
      utf8 = source.getBytes(StandardCharsets.UTF_8);
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
        if (n.getChildCount() == 0) {
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

  private static int lastStartingAtOrBefore(final List<PythonEntity> sorted, final int line) {
    int lo = 0;
    int hi = sorted.size() - 1;
    int found = -1;
    while (lo <= hi) {
      final int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).startLine() <= line) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
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
