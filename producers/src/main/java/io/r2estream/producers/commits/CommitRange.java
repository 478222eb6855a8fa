package io.r2estream.producers.commits;

import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Which commits a scan covers: those reachable from {@code tip} but not from {@code exclude}, committed at or
 * after {@code since}, limited to the {@code maxCommits} most recent non-merge commits.
 *
 * @param tip        branch, ref or sha to walk from; "HEAD" by default
 * @param exclude    sha whose ancestors are left out (a push's old revision); null for the whole history
 * @param since      oldest commit time kept; null for no limit
 * @param maxCommits the N most recent non-merge commits; 0 for no limit
 */
public record CommitRange(String tip, String exclude, Instant since, int maxCommits) {

  public static final String DEFAULT_TIP = "HEAD";
  /** The "no revision" sha a post-receive hook reports as the old revision of a new branch. */
  public static final String ZERO_SHA = ObjectId.zeroId().name();

  public CommitRange {
    tip = tip == null || tip.isBlank() ? DEFAULT_TIP : tip;
    exclude = exclude == null || exclude.isBlank() || ZERO_SHA.equals(exclude) ? null : exclude;
    if (maxCommits < 0) {
      throw new IllegalArgumentException("maxCommits must be >= 0 (0 = no limit), got " + maxCommits);
    }
  }

  /** The whole history of HEAD. */
  public static CommitRange head() {
    return new CommitRange(DEFAULT_TIP, null, null, 0);
  }

  /** The whole history of a branch, ref or sha. */
  public static CommitRange of(final String tip) {
    return new CommitRange(tip, null, null, 0);
  }

  /** What a push brought: commits reachable from {@code after} but not from {@code before} (zeros = new branch). */
  public static CommitRange push(final String before, final String after) {
    return new CommitRange(after, before, null, 0);
  }

  public CommitRange since(final Instant oldest) {
    return new CommitRange(tip, exclude, oldest, maxCommits);
  }

  public CommitRange maxCommits(final int n) {
    return new CommitRange(tip, exclude, since, n);
  }
}
