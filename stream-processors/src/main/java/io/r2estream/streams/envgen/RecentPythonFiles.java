package io.r2estream.streams.envgen;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses .py file versions for one thread, remembering the last two parsed versions of recently seen files: a
 * history is ingested as a sequence of commits, and the old version of a file in one commit is the new version of
 * the neighbouring commit that touched it. A version seen before is reused as is; a version one small edit away
 * from a remembered one is parsed incrementally ({@link TreeSitterPythonParser#parseFrom}). Parsing dominates the
 * selector's cost, so this halves it or better on a history; the decisions are the same as with fresh parses.
 *
 * <p>Bounded by the characters of the remembered sources (tree-sitter trees take a small multiple of that in
 * native memory), least recently used files first out. Not thread-safe: one instance per thread.
 */
final class RecentPythonFiles {

  /** Source characters remembered per thread; about 8 MB of sources, their trees a few times that natively. */
  static final long MAX_REMEMBERED_CHARS = 8L * 1024 * 1024;

  private final TreeSitterPythonParser parser;
  private final long maxChars;
  private final LinkedHashMap<String, Versions> files = new LinkedHashMap<>(256, 0.75f, true);
  private long chars;

  RecentPythonFiles(final TreeSitterPythonParser parser, final long maxChars) {
    this.parser = parser;
    this.maxChars = maxChars;
  }

  /**
   * The parsed {@code source} of file {@code key} (repository and path).
   *
   * @param near a version of the same file known to be close (the old version when parsing the new), or null
   */
  TreeSitterPythonModule parse(final String key, final String source, final TreeSitterPythonModule near) {
    final Versions known = files.get(key);
    if (known != null) {
      final TreeSitterPythonModule same = known.find(source);
      if (same != null) {
        return same;
      }
    }
    TreeSitterPythonModule base = near;
    if (known != null) {
      base = nearer(source, nearer(source, base, known.latest), known.previous);
    }
    final TreeSitterPythonModule parsed = parser.parseFrom(base, source);
    remember(key, known, parsed);
    return parsed;
  }

  private static TreeSitterPythonModule nearer(final String source, final TreeSitterPythonModule a, final TreeSitterPythonModule b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return TreeSitterPythonParser.changedSpan(b.source(), source) < TreeSitterPythonParser.changedSpan(a.source(), source)
        ? b : a;
  }

  private void remember(final String key, final Versions known, final TreeSitterPythonModule parsed) {
    final Versions v = known != null ? known : new Versions();
    if (known == null) {
      files.put(key, v);
    }
    chars -= v.chars();
    v.previous = v.latest;
    v.latest = parsed;
    chars += v.chars();
    final Iterator<Map.Entry<String, Versions>> eldest = files.entrySet().iterator();
    while (chars > maxChars && eldest.hasNext()) {
      final Versions evicted = eldest.next().getValue();
      if (evicted == v) {
        break;
      }
      chars -= evicted.chars();
      eldest.remove();
    }
  }

  /** The two most recently parsed versions of one file. */
  private static final class Versions {
    TreeSitterPythonModule latest;
    TreeSitterPythonModule previous;

    TreeSitterPythonModule find(final String source) {
      if (latest != null && latest.source().equals(source)) {
        return latest;
      }
      return previous != null && previous.source().equals(source) ? previous : null;
    }

    long chars() {
      return (latest == null ? 0 : latest.source().length()) + (previous == null ? 0 : previous.source().length());
    }
  }
}
