package io.r2estream.streams.envgen;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses .py file versions for one thread, remembering the last two parsed versions of recently seen files: a
 * history is ingested as a sequence of commits, and the old version of a file in one commit is the new version of
 * the neighbouring commit that touched it. A version seen before is reused as is. With tree-sitter, a version one
 * small edit away from a remembered one is also parsed incrementally ({@link TreeSitterPythonParser#parseFrom}).
 * Parsing dominates the selector's cost, so this saves a third to a half of it on a history; the decisions are the
 * same as with fresh parses.
 *
 * <p>Bounded by the characters of the remembered sources (tree-sitter trees and token arrays take a small multiple
 * of that), least recently used files first out. Not thread-safe: one instance per thread.
 *
 * @param <M> the module type of the parser
 */
final class RecentPythonFiles<M extends PythonModule> {

  /** Source characters remembered per thread; about 8 MB of sources, their trees a few times that natively. */
  static final long MAX_REMEMBERED_CHARS = 8L * 1024 * 1024;

  private final Reparser<M> parser;
  private final boolean incremental;
  private final long maxChars;
  private final LinkedHashMap<String, Versions<M>> files = new LinkedHashMap<>(256, 0.75f, true);
  private long chars;

  /** Parses {@code source}, possibly from {@code base}, a close version of the same file (null: none). */
  @FunctionalInterface
  interface Reparser<M extends PythonModule> {
    M parseFrom(M base, String source);
  }

  private RecentPythonFiles(final Reparser<M> parser, final boolean incremental, final long maxChars) {
    this.parser = parser;
    this.incremental = incremental;
    this.maxChars = maxChars;
  }

  /** Remembers tree-sitter parses and parses near versions incrementally. */
  static RecentPythonFiles<TreeSitterPythonModule> treeSitter(final TreeSitterPythonParser parser,
      final long maxChars) {
    return new RecentPythonFiles<>(parser::parseFrom, true, maxChars);
  }

  /** Remembers parses of any parser; a version not remembered is parsed from scratch. */
  static RecentPythonFiles<PythonModule> of(final PythonParser parser, final long maxChars) {
    return new RecentPythonFiles<>((base, source) -> parser.parse(source), false, maxChars);
  }

  /**
   * The parsed {@code source} of file {@code key} (repository and path).
   *
   * @param near a version of the same file known to be close (the old version when parsing the new), or null
   */
  M parse(final String key, final String source, final M near) {
    final Versions<M> known = files.get(key);
    if (known != null) {
      final M same = known.find(source);
      if (same != null) {
        return same;
      }
    }
    M base = incremental ? near : null;
    if (known != null && incremental) {
      base = nearer(source, nearer(source, base, known.latest), known.previous);
    }
    final M parsed = parser.parseFrom(base, source);
    remember(key, known, parsed);
    return parsed;
  }

  private static <M extends PythonModule> M nearer(final String source, final M a, final M b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return TreeSitterPythonParser.changedSpan(b.source(), source) < TreeSitterPythonParser.changedSpan(a.source(), source)
        ? b : a;
  }

  private void remember(final String key, final Versions<M> known, final M parsed) {
    final Versions<M> v = known != null ? known : new Versions<>();
    if (known == null) {
      files.put(key, v);
    }
    chars -= v.chars();
    v.previous = v.latest;
    v.latest = parsed;
    chars += v.chars();
    final Iterator<Map.Entry<String, Versions<M>>> eldest = files.entrySet().iterator();
    while (chars > maxChars && eldest.hasNext()) {
      final Versions<M> evicted = eldest.next().getValue();
      if (evicted == v) {
        break;
      }
      chars -= evicted.chars();
      eldest.remove();
    }
  }

  /** The two most recently parsed versions of one file. */
  private static final class Versions<M extends PythonModule> {
    M latest;
    M previous;

    M find(final String source) {
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
