package io.r2estream.streams.envgen;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Parsed .py file versions shared by all stream threads of a selector, for parsers whose modules may be read from
 * any thread ({@link TokenPythonParser}): the old version of a file in one commit is the new version of an earlier
 * commit that touched it, and in a topology that earlier commit was usually decided by another thread (commits are
 * spread over partitions by key), so a per-thread memory ({@link RecentPythonFiles}) misses most of them. Keeps the
 * last two versions per file, bounded by their characters (Caffeine evicts the least valuable files first).
 */
final class SharedPythonFiles {

  private final PythonParser parser;
  private final Cache<String, Versions> files;

  SharedPythonFiles(final PythonParser parser, final long maxChars) {
    this.parser = parser;
    // Maintenance (eviction) on the calling thread: no pool thread competes with the stream threads.
    this.files = Caffeine.newBuilder().executor(Runnable::run).maximumWeight(maxChars)
        .weigher((String key, Versions v) -> (int) Math.min(Integer.MAX_VALUE, v.chars())).build();
  }

  /** The parsed {@code source} of file {@code key} (repository and path); thread-safe. */
  PythonModule parse(final String key, final String source) {
    final Versions known = files.getIfPresent(key);
    if (known != null) {
      final PythonModule same = known.find(source);
      if (same != null) {
        return same;
      }
    }
    final PythonModule parsed = parser.parse(source);
    files.asMap().merge(key, new Versions(parsed, null), (old, fresh) -> new Versions(parsed, old.latest));
    return parsed;
  }

  /** The two most recently parsed versions of one file; immutable, so safe to share. */
  private record Versions(PythonModule latest, PythonModule previous) {

    PythonModule find(final String source) {
      if (latest.source().equals(source)) {
        return latest;
      }
      return previous != null && previous.source().equals(source) ? previous : null;
    }

    long chars() {
      return latest.source().length() + (previous == null ? 0L : previous.source().length());
    }
  }
}
