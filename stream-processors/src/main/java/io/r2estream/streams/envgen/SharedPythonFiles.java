package io.r2estream.streams.envgen;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Parsed .py file versions shared by all stream threads of a selector, by content, for parsers whose modules may be
 * read from any thread ({@link TokenPythonParser}). Each commit brings one new version of each file it touches, and
 * its old version is the new version of an earlier commit. In a topology that earlier commit sits in another
 * partition, decided by either thread, often far out of history order (a thread takes a batch of one partition, then
 * of the next), so versions are looked up by their text rather than as "the last versions of this file": then every
 * version is parsed about once, whichever commit needs it first. Bounded by the characters of the remembered
 * sources; Caffeine evicts what is least likely to be asked again.
 */
final class SharedPythonFiles {

  private final PythonParser parser;
  private final Cache<String, PythonModule> versions;

  SharedPythonFiles(final PythonParser parser, final long maxChars) {
    this.parser = parser;
    // Maintenance (eviction) on the calling thread: no pool thread competes with the stream threads.
    this.versions = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(maxChars)
        .weigher((String source, PythonModule m) -> Math.max(1, source.length())).build();
  }

  /** The parsed {@code source}; thread-safe. Two threads asking for a new version at once may both parse it. */
  PythonModule parse(final String source) {
    final PythonModule known = versions.getIfPresent(source);
    if (known != null) {
      return known;
    }
    final PythonModule parsed = parser.parse(source);
    versions.put(source, parsed);
    return parsed;
  }
}
