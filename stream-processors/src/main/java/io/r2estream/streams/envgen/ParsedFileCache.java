package io.r2estream.streams.envgen;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last parsed version of recently seen files (by repository and path), for one thread. A commit's old
 * content is usually an earlier commit's new content, or close to it, so it is either reused as is or parsed
 * incrementally from the cached version, which costs a fraction of a full parse of a large file. Bounded by the
 * total characters of the cached sources; evicted trees free their native memory when collected.
 */
final class ParsedFileCache {

  private final PythonEntityParser parser;
  private final long maxChars;
  private final LinkedHashMap<String, PythonModule> byFile = new LinkedHashMap<>(64, 0.75f, true);
  private long chars;

  ParsedFileCache(final PythonEntityParser parser, final long maxChars) {
    this.parser = parser;
    this.maxChars = maxChars;
  }

  /** Parses {@code source}, a version of the file, reusing or incrementally reparsing its cached version. */
  PythonModule parse(final String repository, final String path, final String source) {
    final PythonModule cached = byFile.get(key(repository, path));
    if (cached == null) {
      return parser.parse(source);
    }
    return cached.source().equals(source) ? cached : parser.parseEdited(cached, source);
  }

  /** Parses the new version of a file from its old version, which has just been parsed. */
  PythonModule parseEdited(final PythonModule old, final String source) {
    return parser.parseEdited(old, source);
  }

  /** Remembers the latest version seen of a file. */
  void remember(final String repository, final String path, final PythonModule module) {
    final PythonModule previous = byFile.put(key(repository, path), module);
    chars += module.source().length() - (previous == null ? 0 : previous.source().length());
    final Iterator<Map.Entry<String, PythonModule>> eldest = byFile.entrySet().iterator();
    while (chars > maxChars && eldest.hasNext()) {
      final Map.Entry<String, PythonModule> e = eldest.next();
      if (e.getValue() == module) {
        break;
      }
      chars -= e.getValue().source().length();
      eldest.remove();
    }
  }

  private static String key(final String repository, final String path) {
    return repository + '\u0000' + path;
  }
}
