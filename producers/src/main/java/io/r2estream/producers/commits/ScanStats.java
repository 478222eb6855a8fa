package io.r2estream.producers.commits;

import java.util.List;

/**
 * What a scan saw. {@code selected} commits were rendered: each is either emitted ({@code commits}) or listed in
 * {@code errors}; merges are never selected and only counted.
 *
 * @param selected         non-merge commits in the range, after --since and --max-commits
 * @param commits          events emitted
 * @param mergesSkipped    merge commits left out
 * @param emptyCommits     emitted commits without file changes
 * @param renames          files renamed (rename detection on)
 * @param binaryFiles      binary files (no patch)
 * @param nonUtf8Files     text files whose old or new blob is not valid UTF-8 (no patch, no contents)
 * @param truncatedDiffs   commits with at least one patch omitted by the size caps
 * @param truncatedContents files whose contents were wanted but omitted by the size caps
 * @param errorCount       commits that failed to render (not emitted)
 * @param errors           the first {@link #MAX_ERRORS_KEPT} failures, with sha and reason
 */
public record ScanStats(long selected, long commits, long mergesSkipped, long emptyCommits, long renames,
    long binaryFiles, long nonUtf8Files, long truncatedDiffs, long truncatedContents, long errorCount,
    List<ScanError> errors) {

  /** Failures kept in detail; the count stays exact beyond it. */
  public static final int MAX_ERRORS_KEPT = 1000;

  public ScanStats {
    errors = List.copyOf(errors);
  }

  public static ScanStats empty() {
    return new ScanStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());
  }
}
