package io.r2estream.deploy.cli;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Writes a linear history of small Python commits into a bare repository in one {@code git fast-import} pass (a few
 * hundred commits in well under a second, where JGit porcelain would take several): a root commit with
 * {@value #MODULES} modules and their tests, then commits that each change one function's body and, for every
 * third one, add a test calling it. Deterministic: the same count gives the same shas.
 */
final class SyntheticPythonHistory {

  private static final int MODULES = 10;
  private static final int FUNCTIONS = 5;
  private static final long START_EPOCH_SECONDS = 1_700_000_000L;
  private static final String BRANCH = "main";

  private final int[][] constants = new int[MODULES][FUNCTIONS];
  private final List<List<String>> tests = new ArrayList<>();

  private SyntheticPythonHistory() {
    for (int m = 0; m < MODULES; m++) {
      tests.add(new ArrayList<>(List.of("from pkg.mod_" + m + " import *", "")));
    }
  }

  /**
   * Creates {@code repo} (bare) holding {@code commits} commits on main.
   *
   * @return the commit shas, oldest first
   */
  static List<String> write(final Path repo, final int commits) throws IOException, InterruptedException {
    git(repo.getParent(), "init", "-q", "--bare", "--initial-branch=" + BRANCH, repo.toString());
    final Process p = command(repo, "fast-import", "--quiet").redirectErrorStream(true).start();
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final Thread drain = new Thread(() -> {
      try {
        p.getInputStream().transferTo(log);
      } catch (IOException ignored) {
        // the exit code below reports the failure
      }
    });
    drain.start();
    try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 16)) {
      new SyntheticPythonHistory().stream(out, commits);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("git fast-import failed: " + log.toString(StandardCharsets.UTF_8));
    }
    drain.join();
    return git(repo, "rev-list", "--reverse", BRANCH).lines().toList();
  }

  private void stream(final OutputStream out, final int commits) throws IOException {
    final List<String> touched = new ArrayList<>();
    for (int m = 0; m < MODULES; m++) {
      touched.add(modulePath(m));
      touched.add(testPath(m));
    }
    commit(out, 1, "Initial import\n", touched);
    for (int n = 2; n <= commits; n++) {
      touched.clear();
      final int m = n % MODULES;
      final int f = (n / MODULES) % FUNCTIONS;
      constants[m][f] = n;
      touched.add(modulePath(m));
      if (n % 3 == 0) {
        final List<String> t = tests.get(m);
        t.addAll(List.of("", "def test_" + function(m, f) + "_" + n + "():",
            "    assert " + function(m, f) + "(1) == " + (1 + n), ""));
        touched.add(testPath(m));
      }
      commit(out, n, "Fix " + function(m, f) + " offset\n", touched);
    }
  }

  private void commit(final OutputStream out, final int n, final String message, final List<String> paths)
      throws IOException {
    final StringBuilder header = new StringBuilder()
        .append("commit refs/heads/").append(BRANCH).append('\n')
        .append("committer Ada Lovelace <ada@example.org> ").append(START_EPOCH_SECONDS + 60L * n).append(" +0000\n");
    out.write(header.toString().getBytes(StandardCharsets.UTF_8));
    data(out, message);
    for (final String path : paths) {
      out.write(("M 100644 inline " + path + "\n").getBytes(StandardCharsets.UTF_8));
      data(out, content(path));
    }
    out.write('\n');
  }

  private static void data(final OutputStream out, final String text) throws IOException {
    final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(("data " + bytes.length + "\n").getBytes(StandardCharsets.UTF_8));
    out.write(bytes);
    out.write('\n');
  }

  private String content(final String path) {
    for (int m = 0; m < MODULES; m++) {
      if (path.equals(modulePath(m))) {
        final StringBuilder s = new StringBuilder();
        for (int f = 0; f < FUNCTIONS; f++) {
          s.append(f == 0 ? "" : "\n\n").append("def ").append(function(m, f)).append("(x):\n")
              .append("    return x + ").append(constants[m][f]).append('\n');
        }
        return s.toString();
      }
      if (path.equals(testPath(m))) {
        return String.join("\n", tests.get(m)) + "\n";
      }
    }
    throw new IllegalArgumentException("not a generated path: " + path);
  }

  private static String function(final int m, final int f) {
    return "f" + m + "_" + f;
  }

  private static String modulePath(final int m) {
    return "pkg/mod_" + m + ".py";
  }

  private static String testPath(final int m) {
    return "tests/test_mod_" + m + ".py";
  }

  private static ProcessBuilder command(final Path dir, final String... args) {
    final List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
    cmd.addAll(List.of(args));
    final ProcessBuilder pb = new ProcessBuilder(cmd);
    // Neither the user's nor the system's git configuration may change the history.
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    return pb;
  }

  private static String git(final Path dir, final String... args) throws IOException, InterruptedException {
    final Process p = command(dir, args).redirectErrorStream(true).start();
    final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }
}
