package io.r2estream.producers.commits;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Walks a repository's history and emits one {@code CommitEvent} per non-merge commit, oldest first, lazily.
 * The walk (commit ids only) is done up front so the total is known; diffs are rendered as the events are
 * consumed, on {@link ScanLimits#renderThreads()} threads. Merges are skipped and counted.
 *
 * <pre>{@code
 * try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(dir), ScanLimits.defaults());
 *      CommitScan scan = scanner.scan(CommitRange.head().maxCommits(500))) {
 *   scan.forEachRemaining(publisher::publish);
 *   ScanStats stats = scan.stats();
 * }
 * }</pre>
 */
public final class CommitScanner implements AutoCloseable {

  private final Repository repo;
  private final boolean ownsRepo;
  private final String repositoryId;
  private final String location;
  private final ScanLimits limits;
  private final Clock clock;
  private final BlobCache cache = new BlobCache(BlobCache.DEFAULT_CAPACITY_BYTES);

  /**
   * @param repo         an open repository (not closed by this scanner)
   * @param repositoryId id written to every event and used in the record keys
   * @param limits       size caps and render threads
   * @param clock        source of {@code ingested_at}
   */
  public CommitScanner(final Repository repo, final String repositoryId, final ScanLimits limits,
      final Clock clock) {
    this(repo, false, repositoryId, defaultLocation(repo), limits, clock);
  }

  private CommitScanner(final Repository repo, final boolean ownsRepo, final String repositoryId,
      final String location, final ScanLimits limits, final Clock clock) {
    this.location = location;
    this.repo = Objects.requireNonNull(repo, "repo");
    this.ownsRepo = ownsRepo;
    if (repositoryId == null || repositoryId.isBlank()) {
      throw new IllegalArgumentException("repository id must not be blank, got '" + repositoryId + "'");
    }
    this.repositoryId = repositoryId;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Opens (cloning or fetching a URL first) the source's repository; closing the scanner closes it. */
  public static CommitScanner open(final RepositorySource source, final ScanLimits limits) throws IOException {
    return open(source, limits, Clock.systemUTC());
  }

  public static CommitScanner open(final RepositorySource source, final ScanLimits limits, final Clock clock)
      throws IOException {
    return new CommitScanner(source.open(), true, source.id(), source.location(), limits, clock);
  }

  /** Where workers can clone the repository from: its directory on this machine, or its URL. */
  private static String defaultLocation(final Repository repo) {
    return (repo.isBare() ? repo.getDirectory() : repo.getWorkTree()).toPath().toAbsolutePath().toString();
  }

  public String repositoryId() {
    return repositoryId;
  }

  /** A scan of the range's commits as a history scan ({@code source = "scan"}). */
  public CommitScan scan(final CommitRange range) throws IOException {
    return scan(range, EventSource.SCAN);
  }

  /**
   * Selects the range's non-merge commits and returns a lazy scan over them, oldest first.
   *
   * @throws IllegalArgumentException when the tip or the excluded revision does not name a commit here
   */
  public CommitScan scan(final CommitRange range, final EventSource source) throws IOException {
    final ScanCounters counters = new ScanCounters();
    final List<ObjectId> selected = new ArrayList<>();
    long merges = 0;
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRetainBody(false);
      // Topological order, newest first: the N most recent come first, and the reversed list has every
      // parent before its children even when commit dates are skewed.
      walk.sort(RevSort.TOPO);
      walk.markStart(walk.parseCommit(resolve(range.tip(), "tip")));
      if (range.exclude() != null) {
        walk.markUninteresting(walk.parseCommit(resolve(range.exclude(), "excluded revision")));
      }
      final long sinceSeconds = range.since() == null ? Long.MIN_VALUE : range.since().getEpochSecond();
      for (final RevCommit c : walk) {
        if (c.getCommitTime() < sinceSeconds) {
          continue;
        }
        if (c.getParentCount() > 1) {
          merges++;
          continue;
        }
        selected.add(c.copy());
        if (range.maxCommits() > 0 && selected.size() >= range.maxCommits()) {
          break;
        }
      }
    }
    Collections.reverse(selected);
    counters.selected(selected.size(), merges);
    final int threads = Math.max(1, Math.min(limits.renderThreads(), selected.size()));
    return new CommitScan(selected, counters, threads,
        () -> new CommitRenderer(repo, cache, repositoryId, location, limits, source, clock));
  }

  private ObjectId resolve(final String revision, final String what) throws IOException {
    final ObjectId id;
    try {
      id = repo.resolve(revision + "^{commit}");
    } catch (RevisionSyntaxException | IncorrectObjectTypeException | MissingObjectException e) {
      throw new IllegalArgumentException(what + " '" + revision + "' is not a commit of " + repositoryId, e);
    }
    if (id == null) {
      throw new IllegalArgumentException(what + " '" + revision + "' is not a commit of " + repositoryId);
    }
    return id;
  }

  @Override
  public void close() {
    if (ownsRepo) {
      repo.close();
    }
  }
}
