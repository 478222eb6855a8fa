package io.r2estream.reward;

import io.r2estream.envbuilder.HostRepository;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Puts back, as they are at the base commit, the files a candidate changed that the caller calls test files, and
 * removes those it added: whoever runs tests over a candidate (the hidden-test grader, the execution-based verifier's
 * regression run) runs the repository's tests, not the candidate's rewrite of them. The changed files are read from
 * git (untracked ones included), not from the patch text, so a fuzzy apply or a rename cannot hide one. Leaves the
 * index unstaged either way.
 */
public final class TestFileReset {

  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(2);
  private static final String TOUCHED_LIST = "/tmp/r2e-touched";
  private static final String RESTORE_LIST = "r2e-restore";
  private static final String REMOVE_LIST = "r2e-remove";
  private static final int ERROR_TAIL_CHARS = 2000;

  private TestFileReset() {
  }

  /**
   * Resets, in {@code ctr} (a checkout of {@code repo} at {@code baseCommit} in {@code workdir} with the candidate
   * applied), every changed path {@code isTestFile} accepts; returns those paths.
   *
   * @throws RuntimeFailure REPOSITORY (or TIMEOUT) when a git command fails
   */
  public static List<String> reset(final ContainerRuntime runtime, final Container ctr, final HostRepository repo,
      final String baseCommit, final String workdir, final Predicate<String> isTestFile) {
    final List<String> tests = touched(runtime, ctr, baseCommit, workdir).stream().filter(isTestFile).toList();
    if (tests.isEmpty()) {
      git(runtime, ctr, baseCommit, workdir, "git reset -q", "unstage the candidate");
      return tests;
    }
    final Set<String> atBase = repo.files(baseCommit, tests).keySet();
    final List<String> removed = tests.stream().filter(p -> !atBase.contains(p)).toList();
    runtime.copyIn(ctr, "/tmp", Map.of(RESTORE_LIST, nulSeparated(new ArrayList<>(atBase)),
        REMOVE_LIST, nulSeparated(removed)));
    git(runtime, ctr, baseCommit, workdir, "xargs -0 -r git checkout -q \"$R2E_BASE\" -- < /tmp/" + RESTORE_LIST
        + " && xargs -0 -r rm -f -- < /tmp/" + REMOVE_LIST + " && git reset -q && rm -f /tmp/" + RESTORE_LIST
        + " /tmp/" + REMOVE_LIST, "reset the candidate's test files");
    return tests;
  }

  /** Paths the candidate changed, added or deleted relative to the base commit (renames as both paths). */
  private static List<String> touched(final ContainerRuntime runtime, final Container ctr, final String baseCommit,
      final String workdir) {
    git(runtime, ctr, baseCommit, workdir, "git add -A && git diff --cached --name-only --no-renames -z"
        + " \"$R2E_BASE\" > " + TOUCHED_LIST, "list the files the candidate changed");
    final String names = new String(runtime.readFile(ctr, TOUCHED_LIST), StandardCharsets.UTF_8);
    final List<String> out = new ArrayList<>();
    for (final String p : names.split("\0")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private static void git(final ContainerRuntime runtime, final Container ctr, final String baseCommit,
      final String workdir, final String shell, final String what) {
    final ExecResult r = runtime.exec(ctr, new ExecRequest(shell, GIT_TIMEOUT, workdir, Map.of("R2E_BASE",
        baseCommit)));
    if (!r.ok()) {
      final String out = r.output();
      throw new RuntimeFailure(r.timedOut() ? FailureKind.TIMEOUT : FailureKind.REPOSITORY, "cannot " + what
          + " in " + ctr.name() + " (exit " + r.exitCode() + "): "
          + (out.length() <= ERROR_TAIL_CHARS ? out : out.substring(out.length() - ERROR_TAIL_CHARS)).strip());
    }
  }

  private static byte[] nulSeparated(final List<String> paths) {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (final String p : paths) {
      out.writeBytes(p.getBytes(StandardCharsets.UTF_8));
      out.write(0);
    }
    return out.toByteArray();
  }
}
