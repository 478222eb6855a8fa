package io.r2estream.testkit;

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
 * A real git repository built with JGit in a test directory, with deterministic identities and times: the n-th
 * commit is authored and committed at {@link #BASE} + n hours.
 */
public final class TestRepo implements AutoCloseable {

  public static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

  private final Git git;
  private final Path dir;
  private int commits;

  private TestRepo(final Git git, final Path dir) {
    this.git = git;
    this.dir = dir;
  }

  public static TestRepo init(final Path dir) throws GitAPIException {
    return new TestRepo(Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call(), dir);
  }

  public Path dir() {
    return dir;
  }

  public Git git() {
    return git;
  }

  /** The time the next commit will get. */
  public Instant nextTime() {
    return BASE.plus(commits + 1, ChronoUnit.HOURS);
  }

  public TestRepo write(final String path, final String content) throws IOException {
    return write(path, content.getBytes(StandardCharsets.UTF_8));
  }

  public TestRepo write(final String path, final byte[] content) throws IOException {
    final Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return this;
  }

  public TestRepo delete(final String path) throws IOException {
    Files.delete(dir.resolve(path));
    return this;
  }

  public TestRepo move(final String from, final String to) throws IOException {
    final Path target = dir.resolve(to);
    Files.createDirectories(target.getParent());
    Files.move(dir.resolve(from), target);
    return this;
  }

  /** Stages everything (additions, edits, deletions) and commits, empty commits included. */
  public RevCommit commit(final String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    git.add().setUpdate(true).addFilepattern(".").call();
    final PersonIdent who = ident();
    return git.commit().setMessage(message).setAuthor(who).setCommitter(who).setAllowEmpty(true)
        .setSign(false).call();
  }

  public void checkout(final String branch, final boolean create) throws GitAPIException {
    git.checkout().setName(branch).setCreateBranch(create).call();
  }

  /** A true merge commit (never fast-forward) of {@code branch} into the current branch. */
  public RevCommit merge(final String branch, final String message) throws GitAPIException, IOException {
    git.merge().include(git.getRepository().resolve(branch)).setFastForward(MergeCommand.FastForwardMode.NO_FF)
        .setCommit(false).call();
    return commit(message);
  }

  private PersonIdent ident() {
    commits++;
    return new PersonIdent("Ada Lovelace", "ada@example.org", BASE.plus(commits, ChronoUnit.HOURS),
        ZoneOffset.UTC);
  }

  @Override
  public void close() {
    git.close();
  }
}
