package io.r2estream.deploy.cli;

import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.Option;

/** Which history to ingest: shared by {@code ingest} and {@code demo}. */
final class RepositoryOptions {

  @Option(names = "--branch", description = "Branch, tag or commit to walk from (default: HEAD).")
  String branch;

  @Option(names = "--max-commits", description = "Only the N most recent non-merge commits.")
  Integer maxCommits;

  @Option(names = "--since", description = "Only commits from this date on (YYYY-MM-DD or ISO-8601 instant).")
  String since;

  @Option(names = "--repo-id", description = "Repository id in events (default: owner/name from a URL, or the directory name).")
  String repoId;

  /** A local path or a git URL; URLs are cloned (then fetched) under {@code cacheDir}. */
  RepositorySource source(final String pathOrUrl, final Path cacheDir) {
    final RepositorySource src;
    if (pathOrUrl.contains("://") || pathOrUrl.startsWith("git@")) {
      src = RepositorySource.remote(pathOrUrl, cacheDir);
    } else {
      final Path p = Path.of(pathOrUrl).toAbsolutePath();
      if (!Files.exists(p)) {
        throw new IllegalArgumentException("no such repository: " + p);
      }
      src = RepositorySource.local(p);
    }
    return repoId == null ? src : src.withId(repoId);
  }

  CommitRange range() {
    CommitRange r = branch == null ? CommitRange.head() : CommitRange.of(branch);
    if (since != null) {
      r = r.since(parseSince(since));
    }
    if (maxCommits != null) {
      if (maxCommits < 1) {
        throw new IllegalArgumentException("--max-commits must be at least 1, got " + maxCommits);
      }
      r = r.maxCommits(maxCommits);
    }
    return r;
  }

  static Instant parseSince(final String s) {
    try {
      return s.length() == 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--since expects YYYY-MM-DD or an ISO-8601 instant, got '" + s + "'");
    }
  }
}
