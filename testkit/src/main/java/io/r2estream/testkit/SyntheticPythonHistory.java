package io.r2estream.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Writes a deterministic synthetic Python project history into a bare repository with {@code git fast-import}:
 * a package of modules, their tests and docs, then commits that each make a few small edits like real ones
 * (a bug fix with a test, a new function, a test-only change, a docs change, a new module). The same seed and
 * commit count always give the same history, so runs on different days measure the same thing.
 */
public final class SyntheticPythonHistory {

  private static final long SEED = 20_241_121L;
  private static final int MODULES = 150;
  private static final int FUNCTIONS_PER_MODULE = 14;
  private static final long START_EPOCH_SECONDS = 1_600_000_000L;
  private static final String BRANCH = "main";

  private final Random random = new Random(SEED);
  private final Map<String, List<String>> files = new LinkedHashMap<>();
  private int newModules;
  private long time = START_EPOCH_SECONDS;

  /** Creates {@code repo} (bare) with {@code commits} commits on main, unless a previous run already did. */
  public static void ensure(final Path repo, final int commits) throws IOException, InterruptedException {
    final Path marker = repo.resolve("r2e-synthetic-" + commits + "-commits");
    if (Files.exists(marker)) {
      return;
    }
    if (Files.exists(repo)) {
      throw new IllegalStateException(repo + " exists but was not generated with " + commits
          + " commits; delete it or pass the matching --commits");
    }
    Files.createDirectories(repo.getParent());
    Git.run(repo.getParent(), "init", "-q", "--bare", "--initial-branch=" + BRANCH, repo.toString());
    final Path log = repo.resolve("fast-import.log");
    final Process p = Git.command(repo, "fast-import", "--quiet").redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
      new SyntheticPythonHistory().write(out, commits);
    }
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("git fast-import failed, see " + log);
    }
    Git.run(repo, "repack", "-a", "-d", "-q");
    Files.createFile(marker);
  }

  /** The commit shas of the generated history, oldest first. */
  public static java.util.List<String> shas(final Path repo) throws IOException, InterruptedException {
    return Git.output(repo, "rev-list", "--reverse", BRANCH).lines().toList();
  }

  private void write(final OutputStream out, final int commits) throws IOException {
    final List<String> touched = new ArrayList<>();
    for (int m = 0; m < MODULES; m++) {
      files.put(module(m), newModule(m));
      files.put(test(m), newTest(m));
    }
    files.put("README.rst", new ArrayList<>(List.of("Synthetic project", "=================", "")));
    files.put("docs/changelog.rst", new ArrayList<>(List.of("Changelog", "=========", "")));
    touched.addAll(files.keySet());
    commit(out, 1, "Initial import", touched);
    for (int n = 2; n <= commits; n++) {
      touched.clear();
      final String message = edit(touched);
      commit(out, n, message, touched);
    }
  }

  /** One realistic change; returns the commit message and fills {@code touched}. */
  private String edit(final List<String> touched) {
    final int kind = random.nextInt(100);
    final int m = random.nextInt(MODULES + newModules);
    if (kind < 55) {
      // Bug fix in one function, usually with a regression test.
      final String fn = changeFunctionBody(module(m), m);
      touched.add(module(m));
      if (random.nextInt(100) < 70) {
        addTest(m, fn);
        touched.add(test(m));
      }
      return "Fix " + fn + " for negative inputs\n\nThe result was off by one when x < 0.\n";
    } else if (kind < 70) {
      final String fn = addFunction(m);
      touched.add(module(m));
      addTest(m, fn);
      touched.add(test(m));
      return "Add " + fn + "\n";
    } else if (kind < 82) {
      final List<String> t = files.get(test(m));
      final int at = 3 + random.nextInt(Math.max(1, t.size() - 3));
      t.add(at, "    # regression check " + random.nextInt(1000));
      touched.add(test(m));
      return "Tighten tests of module " + m + "\n";
    } else if (kind < 92) {
      final List<String> d = files.get("docs/changelog.rst");
      d.add("- module " + m + ": behaviour clarified (" + random.nextInt(10_000) + ")");
      touched.add("docs/changelog.rst");
      final List<String> src = files.get(module(m));
      src.set(0, "\"\"\"Module " + m + ": helpers for area " + m + ", revision " + random.nextInt(1000) + ".\"\"\"");
      touched.add(module(m));
      return "Docs: describe module " + m + "\n";
    } else {
      final int id = MODULES + newModules++;
      files.put(module(id), newModule(id));
      files.put(test(id), newTest(id));
      touched.add(module(id));
      touched.add(test(id));
      return "Add module " + id + "\n";
    }
  }

  private String changeFunctionBody(final String path, final int m) {
    final List<String> lines = files.get(path);
    final List<Integer> defs = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("def ")) {
        defs.add(i);
      }
    }
    final int def = defs.get(random.nextInt(defs.size()));
    final String fn = lines.get(def).substring(4, lines.get(def).indexOf('('));
    final int body = def + 3;
    lines.set(body, "    if total > " + random.nextInt(100) + ":");
    if (random.nextBoolean()) {
      lines.add(body + 2, "    total = max(total, " + random.nextInt(10) + ")");
    }
    return fn;
  }

  private String addFunction(final int m) {
    final List<String> lines = files.get(module(m));
    final String fn = "func_" + m + "_" + lines.size();
    lines.addAll(function(fn, random.nextInt(50)));
    return fn;
  }

  private void addTest(final int m, final String fn) {
    final List<String> t = files.get(test(m));
    t.add("");
    t.add("");
    t.add("def test_" + fn + "_" + t.size() + "():");
    t.add("    assert " + fn + "(" + random.nextInt(20) + ", " + random.nextInt(20) + ") is not None");
  }

  private List<String> newModule(final int m) {
    final List<String> lines = new ArrayList<>(List.of("\"\"\"Module " + m + ": helpers for area " + m + ".\"\"\"",
        "import math"));
    for (int f = 0; f < FUNCTIONS_PER_MODULE; f++) {
      lines.addAll(function("func_" + m + "_" + f, f));
    }
    return lines;
  }

  private static List<String> function(final String name, final int k) {
    return List.of("", "", "def " + name + "(x, y):", "    \"\"\"Compute value " + k + ".\"\"\"",
        "    total = x + y * " + k, "    if total > 10:", "        total -= " + (k % 7 + 1),
        "    return math.floor(total)");
  }

  private static List<String> newTest(final int m) {
    return new ArrayList<>(List.of("from pkg.mod_" + m + " import *", "", "",
        "def test_module_" + m + "_imports():", "    assert func_" + m + "_0(1, 2) == 3"));
  }

  private static String module(final int m) {
    return String.format("pkg/mod_%03d.py", m);
  }

  private static String test(final int m) {
    return String.format("tests/test_mod_%03d.py", m);
  }

  private void commit(final OutputStream out, final int mark, final String message, final List<String> touched)
      throws IOException {
    time += 300 + random.nextInt(3300);
    final String who = "Dev " + (mark % 17) + " <dev" + (mark % 17) + "@example.org> " + time + " +0000\n";
    write(out, "commit refs/heads/" + BRANCH + "\nmark :" + mark + "\nauthor " + who + "committer " + who);
    data(out, message.getBytes(StandardCharsets.UTF_8));
    for (final String path : touched) {
      write(out, "M 100644 inline " + path + "\n");
      data(out, (String.join("\n", files.get(path)) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    write(out, "\n");
  }

  private static void data(final OutputStream out, final byte[] bytes) throws IOException {
    write(out, "data " + bytes.length + "\n");
    out.write(bytes);
    write(out, "\n");
  }

  private static void write(final OutputStream out, final String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.UTF_8));
  }
}
