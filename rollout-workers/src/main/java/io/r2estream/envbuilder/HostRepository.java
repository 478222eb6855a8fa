package io.r2estream.envbuilder;

import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * The environment builder's host-side view of a repository: file contents at a commit and git bundles that
 * carry a commit's history, and nothing after it, into a container. Reads objects with JGit, so the host needs no
 * working tree; the repository is the one ingestion read (a local path) or a clone of its URL.
 */
public final class HostRepository implements AutoCloseable {

  /** The branch name a materialised task sees. */
  public static final String BRANCH = "main";

  private final String id;
  private final Repository repo;

  private HostRepository(final String id, final Repository repo) {
    this.id = id;
    this.repo = repo;
  }

  /**
   * Opens {@code location} (a local path or a URL, cloned or fetched under {@code cacheDir}).
   *
   * @throws RuntimeFailure of kind REPOSITORY when it cannot be opened
   */
  public static HostRepository open(final String repositoryId, final String location, final Path cacheDir) {
    if (location == null || location.isBlank()) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "repository " + repositoryId
          + " has no source location: re-ingest it, or configure its location");
    }
    final RepositorySource source = location.contains("://") || location.startsWith("git@")
        ? RepositorySource.remote(location, cacheDir) : RepositorySource.local(Path.of(location));
    try {
      return new HostRepository(repositoryId, source.withId(repositoryId).open());
    } catch (IOException | RuntimeException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot open repository " + repositoryId + " at " + location
          + ": " + e.getMessage(), e);
    }
  }

  public String id() {
    return id;
  }

  /** The commit, or a REPOSITORY failure naming it when this repository does not have it. */
  public RevCommit commit(final String sha) {
    try (RevWalk walk = new RevWalk(repo)) {
      final ObjectId oid = repo.resolve(sha + "^{commit}");
      if (oid == null) {
        throw new RuntimeFailure(FailureKind.REPOSITORY, "commit " + sha + " is not in repository " + id);
      }
      return walk.parseCommit(oid);
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot read commit " + sha + " of " + id, e);
    }
  }

  /** The first parent of {@code sha}, or null for a root commit. */
  public String firstParent(final String sha) {
    final RevCommit c = commit(sha);
    return c.getParentCount() == 0 ? null : c.getParent(0).name();
  }

  /** Contents of the given paths at a commit; absent paths are absent from the map. */
  public Map<String, byte[]> files(final String sha, final List<String> paths) {
    final Map<String, byte[]> out = new LinkedHashMap<>();
    if (paths.isEmpty()) {
      return out;
    }
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(commit(sha).getTree());
      walk.setRecursive(true);
      walk.setFilter(PathFilterGroup.createFromStrings(paths));
      while (walk.next()) {
        if (paths.contains(walk.getPathString())) {
          out.put(walk.getPathString(), repo.open(walk.getObjectId(0)).getBytes());
        }
      }
      return out;
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot read files of " + id + "@" + sha, e);
    }
  }

  /** Every file path of a commit's tree. */
  public List<String> paths(final String sha) {
    final List<String> out = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(repo)) {
      walk.addTree(commit(sha).getTree());
      walk.setRecursive(true);
      while (walk.next()) {
        out.add(walk.getPathString());
      }
      return out;
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot list files of " + id + "@" + sha, e);
    }
  }

  /** Whether {@code ancestor} is {@code descendant} or one of its ancestors. */
  public boolean isAncestor(final String ancestor, final String descendant) {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.isMergedInto(walk.parseCommit(commit(ancestor)), walk.parseCommit(commit(descendant)));
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot walk history of " + id, e);
    }
  }

  /**
   * The newest commit at or before {@code sha} (first-parent history) that changed a file the predicate calls a
   * dependency manifest, or the root commit when none did.
   */
  public String lastManifestChange(final String sha, final java.util.function.Predicate<String> manifest) {
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setFirstParent(true);
      walk.markStart(walk.parseCommit(commit(sha)));
      RevCommit last = null;
      for (final RevCommit c : walk) {
        last = c;
        if (touches(walk, c, manifest)) {
          return c.name();
        }
      }
      return last == null ? null : last.name();
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot walk history of " + id, e);
    }
  }

  private boolean touches(final RevWalk revs, final RevCommit c, final java.util.function.Predicate<String> manifest) throws IOException {
    try (TreeWalk walk = new TreeWalk(repo)) {
      if (c.getParentCount() == 0) {
        walk.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
      } else {
        walk.addTree(revs.parseCommit(c.getParent(0)).getTree());
      }
      walk.addTree(c.getTree());
      walk.setRecursive(true);
      walk.setFilter(org.eclipse.jgit.treewalk.filter.TreeFilter.ANY_DIFF);
      while (walk.next()) {
        if (manifest.test(walk.getPathString())) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Writes a bundle whose only ref, {@code refs/heads/main}, is {@code tip}: it holds {@code tip}'s history and
   * nothing reachable only from later commits, which is what keeps the fix out of a task's container. With
   * {@code assumed} set, objects reachable from it are left out (a thin bundle for a repository that has it).
   */
  public void writeBundle(final String tip, final String assumed, final OutputStream out) {
    try (RevWalk walk = new RevWalk(repo)) {
      final BundleWriter writer = new BundleWriter(repo);
      writer.include("refs/heads/" + BRANCH, commit(tip));
      if (assumed != null && !assumed.equals(tip)) {
        writer.assume(walk.parseCommit(commit(assumed)));
      }
      writer.writeBundle(NullProgressMonitor.INSTANCE, out);
    } catch (IOException e) {
      throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot bundle " + id + "@" + tip, e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
