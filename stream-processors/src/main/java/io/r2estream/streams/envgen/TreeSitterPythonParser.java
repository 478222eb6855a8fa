package io.r2estream.streams.envgen;

import org.treesitter.TSInputEdit;
import org.treesitter.TSNode;
import org.treesitter.TSParser;
import org.treesitter.TSPoint;
import org.treesitter.TSTree;
import org.treesitter.TreeSitterPython;

/**
 * Parses Python source with tree-sitter into {@link PythonModule}s, the reference parser of the selector
 * ({@link TokenPythonParser} is the fast one): top-level functions (async included),
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
public final class TreeSitterPythonParser implements PythonParser {

  private static final TreeSitterPython LANGUAGE = new TreeSitterPython();
  /** {@link #parseFrom} parses incrementally when at most 1/NEAR_FRACTION of the file differs. */
  private static final int NEAR_FRACTION = 4;

  private final TSParser parser = new TSParser();
  private final boolean decoratorsInEntity;

  /** @param decoratorsInEntity whether decorator lines belong to the decorated function, class or method */
  public TreeSitterPythonParser(final boolean decoratorsInEntity) {
    this.decoratorsInEntity = decoratorsInEntity;
    if (!parser.setLanguage(LANGUAGE)) {
      throw new IllegalStateException("tree-sitter rejected the Python grammar (ABI version mismatch)");
    }
  }

  @Override
  public TreeSitterPythonModule parse(final String source) {
    return build(source, parser.parseString(null, source));
  }

  /**
   * Parses {@code source} from {@code base}, a nearby version of the same file, when that is cheaper: incrementally
   * when the region between their common prefix and suffix is small, from scratch otherwise (tree-sitter re-parses
   * the whole changed region, so two far-apart edits cost more incrementally than a fresh parse; measured with the
   * bundled native library). A syntax error found incrementally is confirmed by a fresh parse, so the reported
   * error is the one a fresh parse gives. {@code base} stays valid; null means no base.
   */
  public TreeSitterPythonModule parseFrom(final TreeSitterPythonModule base, final String source) {
    if (base == null || base.syntaxError() != null || !isNear(base.source(), source)) {
      return parse(source);
    }
    final TreeSitterPythonModule edited = parseEdited(base, source);
    return edited.syntaxError() == null ? edited : parse(source);
  }

  /** Whether the span that differs between two versions is at most a quarter of the longer one. */
  static boolean isNear(final String before, final String after) {
    return changedSpan(before, after) <= Math.max(before.length(), after.length()) / NEAR_FRACTION;
  }

  /** Characters of the longer version between the common prefix and the common suffix of two versions. */
  static int changedSpan(final String before, final String after) {
    final int prefix = commonPrefix(before, after);
    return Math.max(before.length(), after.length()) - prefix - commonSuffix(before, after, prefix);
  }

  private static int commonPrefix(final String a, final String b) {
    final int max = Math.min(a.length(), b.length());
    int prefix = 0;
    while (prefix < max && a.charAt(prefix) == b.charAt(prefix)) {
      prefix++;
    }
    return prefix;
  }

  /** Length of the common suffix that does not overlap a common prefix of {@code prefix} chars. */
  private static int commonSuffix(final String a, final String b, final int prefix) {
    final int max = Math.min(a.length(), b.length()) - prefix;
    int suffix = 0;
    while (suffix < max && a.charAt(a.length() - 1 - suffix) == b.charAt(b.length() - 1 - suffix)) {
      suffix++;
    }
    return suffix;
  }

  /**
   * Parses a new version of a file incrementally from its old version: tree-sitter reuses the subtrees outside
   * the changed region, which is most of the file for a small commit. The old module stays valid.
   */
  public TreeSitterPythonModule parseEdited(final TreeSitterPythonModule old, final String source) {
    final String before = old.source();
    final int prefix = commonPrefix(before, source);
    final int suffix = commonSuffix(before, source, prefix);
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

  private TreeSitterPythonModule build(final String source, final TSTree tree) {
    return new TreeSitterPythonModule(source, tree, syntaxError(source, tree.getRootNode()), decoratorsInEntity);
  }

  private static int line(final TSNode node) {
    return node.getStartPoint().getRow() + 1;
  }

  private static String syntaxError(final String source, final TSNode root) {
    if (!source.isEmpty() && source.charAt(0) == '\uFEFF') {
      return "line 1: starts with a byte order mark";
    }
    if (root.hasError()) {
      return firstError(root);
    }
    final String py2 = python2Statement(source, root, "print");
    return py2 != null ? py2 : python2Statement(source, root, "exec");
  }

  /**
   * Finds a Python 2 {@code print}/{@code exec} statement: the keyword followed by blanks and something that
   * cannot follow a Python 3 name ({@code print "x"}, {@code print >>f, x}, {@code exec code in ns}) is looked up
   * in the tree, which says whether it is a statement or text in a comment or string. Cheaper than a tree query:
   * most modules have no such spot, and the others only a few.
   *
   * @return "line N: Python 2 print statement", or null
   */
  static String python2Statement(final String s, final TSNode root, final String keyword) {
    int bytes = 0;
    int counted = 0;
    for (int i = s.indexOf(keyword); i >= 0; i = s.indexOf(keyword, i + 1)) {
      if (i > 0 && (Character.isJavaIdentifierPart(s.charAt(i - 1)) || s.charAt(i - 1) == '.')) {
        continue;
      }
      int j = i + keyword.length();
      if (j >= s.length() || (s.charAt(j) != ' ' && s.charAt(j) != '\t')) {
        continue;
      }
      while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j++;
      }
      if (j >= s.length() || "(=,):.[#\n\r".indexOf(s.charAt(j)) >= 0) {
        continue;
      }
      bytes += utf8Length(s, counted, i);
      counted = i;
      final TSNode token = root.getDescendantForByteRange(bytes, bytes + keyword.length());
      final TSNode parent = token.isNull() ? token : token.getParent();
      final String type = keyword + "_statement";
      if (!parent.isNull() && type.equals(parent.getType())) {
        return "line " + line(parent) + ": Python 2 " + keyword + " statement";
      }
    }
    return null;
  }

  private static int utf8Length(final String s, final int from, final int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      final char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
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
