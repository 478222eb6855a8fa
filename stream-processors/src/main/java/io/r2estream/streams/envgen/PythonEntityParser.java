package io.r2estream.streams.envgen;

import java.util.ArrayList;
import java.util.List;
import org.treesitter.TSInputEdit;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSPoint;
import org.treesitter.TSQuery;
import org.treesitter.TSQueryCursor;
import org.treesitter.TSQueryMatch;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterPython;

/**
 * Parses Python source with tree-sitter into {@link PythonModule}s: top-level functions (async included),
 * classes, methods ({@code Class.method}), imports and other statements, with 1-based line spans.
 *
 * <p>Syntax errors: R2E-Gym drops a commit when any old or new .py file fails {@code ast.parse}. tree-sitter
 * recovers from errors instead, so a module counts as not parsing when its tree holds an ERROR or MISSING node,
 * when it uses Python 2 {@code print}/{@code exec} statements (tree-sitter's grammar accepts them, CPython 3 does
 * not), or when it starts with a byte order mark (as in R2E-Gym). Errors only CPython detects (mixed tabs and
 * spaces, {@code return} outside a function, ...) are not seen.
 *
 * <p>Not thread-safe (tree-sitter parsers are not): use one instance per thread.
 */
public final class PythonEntityParser {

  private static final TreeSitterPython LANGUAGE = new TreeSitterPython();
  /** {@link #parseFrom} parses incrementally when at most 1/NEAR_FRACTION of the file differs. */
  private static final int NEAR_FRACTION = 4;

  private final TSParser parser = new TSParser();
  private final boolean decoratorsInEntity;
  private TSQuery python2Query;
  private TSQueryCursor queryCursor;

  /** @param decoratorsInEntity whether decorator lines belong to the decorated function, class or method */
  public PythonEntityParser(final boolean decoratorsInEntity) {
    this.decoratorsInEntity = decoratorsInEntity;
    if (!parser.setLanguage(LANGUAGE)) {
      throw new IllegalStateException("tree-sitter rejected the Python grammar (ABI version mismatch)");
    }
  }

  /** Parses a whole file. */
  public PythonModule parse(final String source) {
    return build(source, parser.parseString(null, source));
  }

  /**
   * Parses {@code source} from {@code base}, a nearby version of the same file, when that is cheaper: incrementally
   * when the region between their common prefix and suffix is small, from scratch otherwise (tree-sitter re-parses
   * the whole changed region, so two far-apart edits cost more incrementally than a fresh parse; measured with the
   * bundled native library). A syntax error found incrementally is confirmed by a fresh parse, so the reported
   * error is the one a fresh parse gives. {@code base} stays valid; null means no base.
   */
  public PythonModule parseFrom(final PythonModule base, final String source) {
    if (base == null || base.syntaxError() != null || !isNear(base.source(), source)) {
      return parse(source);
    }
    final PythonModule edited = parseEdited(base, source);
    return edited.syntaxError() == null ? edited : parse(source);
  }

  /** Whether the span that differs between two versions is at most a quarter of the longer one. */
  static boolean isNear(final String before, final String after) {
    return changedSpan(before, after) <= Math.max(before.length(), after.length()) / NEAR_FRACTION;
  }

  /** Characters of the longer version between the common prefix and the common suffix of two versions. */
  static int changedSpan(final String before, final String after) {
    final int max = Math.min(before.length(), after.length());
    int prefix = 0;
    while (prefix < max && before.charAt(prefix) == after.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && before.charAt(before.length() - 1 - suffix) == after.charAt(after.length() - 1 - suffix)) {
      suffix++;
    }
    return Math.max(before.length(), after.length()) - prefix - suffix;
  }

  /**
   * Parses a new version of a file incrementally from its old version: tree-sitter reuses the subtrees outside
   * the changed region, which is most of the file for a small commit. The old module stays valid.
   */
  public PythonModule parseEdited(final PythonModule old, final String source) {
    final String before = old.source();
    final int max = Math.min(before.length(), source.length());
    int prefix = 0;
    while (prefix < max && before.charAt(prefix) == source.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && before.charAt(before.length() - 1 - suffix) == source.charAt(source.length() - 1 - suffix)) {
      suffix++;
    }
    final Position start = Position.of(before, 0, prefix, 0, 0, 0);
    final Position oldEnd = Position.of(before, prefix, before.length() - suffix, start.bytes, start.row,
        start.column);
    final Position newEnd = Position.of(source, prefix, source.length() - suffix, start.bytes, start.row,
        start.column);
    final TSTree edited = old.tree().copy();
    edited.edit(new TSInputEdit(start.bytes, oldEnd.bytes, newEnd.bytes, start.point(), oldEnd.point(),
        newEnd.point()));
    return build(source, parser.parseString(edited, source));
  }

  private PythonModule build(final String source, final TSTree tree) {
    final TSNode root = tree.getRootNode();
    final PythonModule module = new PythonModule(source, tree, syntaxError(source, root));
    final List<PythonEntity> entities = new ArrayList<>();
    final int count = root.getNamedChildCount();
    for (int i = 0; i < count; i++) {
      final TSNode child = root.getNamedChild(i);
      final String type = child.getType();
      if (!"comment".equals(type)) {
        entities.add(topLevel(module, child, type));
      }
    }
    module.entities(entities);
    return module;
  }

  private PythonEntity topLevel(final PythonModule module, final TSNode node, final String type) {
    final TSNode definition = "decorated_definition".equals(type) ? node.getChildByFieldName("definition") : node;
    final String defType = definition.getType();
    final int start = line(decoratorsInEntity ? node : definition);
    final int end = endLine(node);
    if ("function_definition".equals(defType)) {
      return new PythonEntity(module, PythonEntity.Kind.FUNCTION, name(module, definition), start, end, node, null,
          List.of());
    }
    if ("class_definition".equals(defType)) {
      final String className = name(module, definition);
      final List<PythonEntity> methods = new ArrayList<>();
      final PythonEntity cls = new PythonEntity(module, PythonEntity.Kind.CLASS, className, start, end, node, null,
          methods);
      final TSNode body = definition.getChildByFieldName("body");
      final int n = body.isNull() ? 0 : body.getNamedChildCount();
      for (int i = 0; i < n; i++) {
        final TSNode member = body.getNamedChild(i);
        final String memberType = member.getType();
        final TSNode fn = "decorated_definition".equals(memberType) ? member.getChildByFieldName("definition") : member;
        if ("function_definition".equals(fn.getType())) {
          methods.add(new PythonEntity(module, PythonEntity.Kind.METHOD, className + "." + name(module, fn),
              line(decoratorsInEntity ? member : fn), endLine(member), member, cls, List.of()));
        }
      }
      return cls;
    }
    final PythonEntity.Kind kind = "import_statement".equals(type) ? PythonEntity.Kind.IMPORT
        : PythonEntity.Kind.STATEMENT;
    return new PythonEntity(module, kind, null, start, end, node, null, List.of());
  }

  private static String name(final PythonModule module, final TSNode definition) {
    final TSNode name = definition.getChildByFieldName("name");
    return name.isNull() ? "" : module.text(name);
  }

  private static int line(final TSNode node) {
    return node.getStartPoint().getRow() + 1;
  }

  private static int endLine(final TSNode node) {
    final TSPoint end = node.getEndPoint();
    // A node ending at column 0 stops before that line.
    return end.getColumn() == 0 && end.getRow() > node.getStartPoint().getRow() ? end.getRow() : end.getRow() + 1;
  }

  private String syntaxError(final String source, final TSNode root) {
    if (!source.isEmpty() && source.charAt(0) == '\uFEFF') {
      return "line 1: starts with a byte order mark";
    }
    if (root.hasError()) {
      return firstError(root);
    }
    if (source.contains("print") || source.contains("exec")) {
      if (python2Query == null) {
        python2Query = new TSQuery(LANGUAGE, "[(print_statement) (exec_statement)] @py2");
        queryCursor = new TSQueryCursor();
      }
      queryCursor.exec(python2Query, root);
      final TSQueryMatch match = new TSQueryMatch();
      if (queryCursor.nextMatch(match)) {
        final TSNode n = match.getCaptures()[0].getNode();
        return "line " + line(n) + ": Python 2 " + n.getType().replace('_', ' ');
      }
    }
    return null;
  }

  /** Walks down the error-bearing branch to the first ERROR or MISSING node. */
  private static String firstError(final TSNode root) {
    TSNode n = root;
    while (true) {
      if (n.isError()) {
        return "line " + line(n) + ": invalid syntax";
      }
      if (n.isMissing()) {
        return "line " + line(n) + ": missing '" + n.getType() + "'";
      }
      TSNode next = null;
      final int count = n.getChildCount();
      for (int i = 0; i < count && next == null; i++) {
        final TSNode child = n.getChild(i);
        if (child.hasError()) {
          next = child;
        }
      }
      if (next == null) {
        return "line " + line(n) + ": invalid syntax";
      }
      n = next;
    }
  }

  /** A position in a source as tree-sitter counts it: UTF-8 bytes, row, byte column. */
  private record Position(int bytes, int row, int column) {

    static Position of(final String s, final int from, final int to, final int bytes0, final int row0,
        final int col0) {
      int bytes = bytes0;
      int row = row0;
      int column = col0;
      for (int i = from; i < to; i++) {
        final char c = s.charAt(i);
        final int len = c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        bytes += len;
        if (c == '\n') {
          row++;
          column = 0;
        } else {
          column += len;
        }
      }
      return new Position(bytes, row, column);
    }

    TSPoint point() {
      return new TSPoint(row, column);
    }
  }
}
