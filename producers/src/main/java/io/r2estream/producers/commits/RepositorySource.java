package io.r2estream.producers.commits;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a repository comes from: a local directory (work tree or bare), or a git URL cloned (bare) into a cache
 * directory and fetched on later opens. Also derives the repository id: {@code owner/name} from a URL, the
 * directory name for a local path, unless overridden.
 */
public final class RepositorySource {

  private static final Logger LOG = LoggerFactory.getLogger(RepositorySource.class);
  /** Mirror every branch, so any registered branch and any pushed sha can be resolved after a fetch. */
  private static final RefSpec ALL_BRANCHES = new RefSpec("+refs/heads/*:refs/heads/*");

  private final Path localPath;
  private final String url;
  private final Path cacheDir;
  private final String id;

  private RepositorySource(final Path localPath, final String url, final Path cacheDir, final String id) {
    this.localPath = localPath;
    this.url = url;
    this.cacheDir = cacheDir;
    this.id = id;
  }

  /** A repository on this machine: a work tree, its .git directory, or a bare repository. */
  public static RepositorySource local(final Path dir) {
    final Path abs = dir.toAbsolutePath().normalize();
    return new RepositorySource(abs, null, null, idFromPath(abs));
  }

  /** A repository to clone from {@code url} into {@code cacheDir} (fetched instead when already cloned). */
  public static RepositorySource remote(final String url, final Path cacheDir) {
    Objects.requireNonNull(cacheDir, "cacheDir");
    return new RepositorySource(null, url, cacheDir.toAbsolutePath().normalize(), idFromUrl(url));
  }

  /** The same source under another repository id. */
  public RepositorySource withId(final String repositoryId) {
    if (repositoryId == null || repositoryId.isBlank()) {
      throw new IllegalArgumentException("repository id must not be blank, got '" + repositoryId + "'");
    }
    return new RepositorySource(localPath, url, cacheDir, repositoryId);
  }

  public String id() {
    return id;
  }

  /** The URL, or the absolute path of a local repository: what a worker on this machine can clone. */
  public String location() {
    return url != null ? url : localPath.toString();
  }

  public boolean isRemote() {
    return url != null;
  }

  /** Opens the repository; for a URL, clones or fetches first. The caller closes it. */
  public Repository open() throws IOException {
    return url == null ? openLocal(localPath) : cloneOrFetch();
  }

  private static Repository openLocal(final Path dir) throws IOException {
    final File gitDir = RepositoryCache.FileKey.resolve(dir.toFile(), FS.DETECTED);
    if (gitDir == null) {
      throw new IOException("not a git repository: " + dir);
    }
    return new FileRepositoryBuilder().setGitDir(gitDir).setMustExist(true).build();
  }

  private Repository cloneOrFetch() throws IOException {
    final Path dir = cacheDir.resolve(id.replace('/', '_') + ".git");
    try {
      if (Files.isDirectory(dir)) {
        final Repository repo = openLocal(dir);
        try (Git git = new Git(repo)) {
          LOG.info("Fetching {} into {}", url, dir);
          git.fetch().setRemote(url).setRefSpecs(ALL_BRANCHES).setRemoveDeletedRefs(true).call();
        } catch (GitAPIException | RuntimeException e) {
          repo.close();
          throw e;
        }
        return repo;
      }
      Files.createDirectories(cacheDir);
      LOG.info("Cloning {} into {}", url, dir);
      try (Git git = Git.cloneRepository().setURI(url).setDirectory(dir.toFile()).setBare(true)
          .setCloneAllBranches(true).call()) {
        git.fetch().setRemote(url).setRefSpecs(ALL_BRANCHES).call();
      }
      return openLocal(dir);
    } catch (GitAPIException e) {
      throw new IOException("cannot clone or fetch " + url + " into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** {@code owner/name} from https, ssh (scp-like) and file URLs; the last two path segments, without .git. */
  static String idFromUrl(final String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("repository URL must not be blank, got '" + url + "'");
    }
    String s = url.strip();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.endsWith(".git")) {
      s = s.substring(0, s.length() - 4);
    }
    final String[] parts = s.split("[/:]+");
    final String name = parts[parts.length - 1];
    if (parts.length < 2 || name.isEmpty()) {
      return name;
    }
    return parts[parts.length - 2] + "/" + name;
  }

  /** The directory name of a work tree ("proj" for proj/ and proj/.git), of a bare repository without .git. */
  static String idFromPath(final Path dir) {
    Path p = dir;
    if (p.getFileName() != null && ".git".equals(p.getFileName().toString()) && p.getParent() != null) {
      p = p.getParent();
    }
    final String name = p.getFileName() == null ? p.toString() : p.getFileName().toString();
    return name.endsWith(".git") && name.length() > 4 ? name.substring(0, name.length() - 4) : name;
  }

  @Override
  public String toString() {
    return id + " (" + (url != null ? url : localPath) + ")";
  }
}
