package io.r2estream.deploy.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A real git work tree built with JGit, with a fixed identity and the n-th commit at {@link #BASE} + n hours, so a
 * history built twice has the same shas. Same approach as the producers' scanner tests.
 */
final class GitRepoBuilder implements AutoCloseable {

  static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

  private final Git git;
  private final Path dir;
  private int commits;

  private GitRepoBuilder(final Git git, final Path dir) {
    this.git = git;
    this.dir = dir;
  }

  static GitRepoBuilder init(final Path dir) throws GitAPIException {
    return new GitRepoBuilder(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
  }

  Path dir() {
    return dir;
  }

  GitRepoBuilder write(final String path, final String content) throws IOException {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  GitRepoBuilder write(final String path, final byte[] content) throws IOException {
    final Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return this;
  }

  GitRepoBuilder move(final String from, final String to) throws IOException {
    final Path target = dir.resolve(to);
    Files.createDirectories(target.getParent());
    Files.move(dir.resolve(from), target);
    return this;
  }

  /** Stages everything (additions, edits, deletions) and commits; empty commits are allowed. */
  RevCommit commit(final String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().setUpdate(true).addFilepattern(".").call();
    commits++;
    final PersonIdent who = new PersonIdent("Ada Lovelace", "ada@example.org", BASE.plus(commits, ChronoUnit.HOURS),
        ZoneOffset.UTC);
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setAllowEmpty(true).setSign(false)
        .call();
  }

  void checkout(final String branch, final boolean create) throws GitAPIException {
    git.checkout().setName(branch).setCreateBranch(create).call();
  }

  /** A true merge commit (never a fast-forward) of {@code branch} into the current branch. */
  RevCommit merge(final String branch, final String message) throws GitAPIException, IOException {
    git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
        .setCommit(false).call();
    return commit(message);
  }

  @Override
  public void close() {
    git.close();
  }
}
