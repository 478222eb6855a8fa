package io.r2estream.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Drops the agent's scratch files from its diff, so that the submitted patch holds the fix only.
 *
 * <p>The rule: every change to a file that exists at the base commit is kept (edits, deletions, mode changes, by
 * any tool: unlike R2E-Gym's submission, which keeps only {@code .py} files edited with {@code str_replace}, we do
 * not care how a change was made). A file the agent <em>added</em> is kept too, unless it is scratch:
 * <ul>
 *   <li>its name starts with one of {@link #SCRATCH_PREFIXES} ({@code reproduce_issue.py},
 *       {@code edge_case_tests.py}, {@code test_issue.py}, {@code debug_x.py}, ...: the scripts the prompts ask the
 *       agent to write), whatever its directory, case ignored;</li>
 *   <li>or it is Python bytecode ({@code __pycache__/}, {@code .pyc}, {@code .pyo}) left by running the code, in a
 *       repository that does not ignore it.</li>
 * </ul>
 * A new test file with another name ({@code tests/test_wrap_width.py}) is kept: it may be part of the fix.
 */
public final class ScratchFiles {

  /** Name prefixes of the agent's own scripts. */
  public static final List<String> SCRATCH_PREFIXES = List.of("reproduce", "edge_case", "test_issue", "debug_",
      "scratch");
  private static final String FILE_HEADER = "diff --git ";

  private ScratchFiles() {
  }

  /** The diff without the sections that add scratch files; the other sections unchanged and in order. */
  public static String strip(final String diff) {
    final StringBuilder kept = new StringBuilder();
    for (final String section : sections(diff)) {
      if (!(section.startsWith(FILE_HEADER) && isNewFile(section) && isScratch(newPath(section)))) {
        kept.append(section);
      }
    }
    return kept.toString();
  }

  /** The paths (b side) of the files a diff adds and {@link #strip} drops. */
  public static List<String> scratchPaths(final String diff) {
    final List<String> out = new ArrayList<>();
    for (final String section : sections(diff)) {
      if (section.startsWith(FILE_HEADER) && isNewFile(section) && isScratch(newPath(section))) {
        out.add(newPath(section));
      }
    }
    return out;
  }

  /** True for a path the rule calls scratch, if the file is new. */
  public static boolean isScratch(final String path) {
    final String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    return SCRATCH_PREFIXES.stream().anyMatch(name::startsWith) || name.endsWith(".pyc") || name.endsWith(".pyo")
        || ("/" + path + "/").contains("/__pycache__/");
  }

  /** The diff cut before each {@code diff --git} line (text before the first one is a section of its own). */
  static List<String> sections(final String diff) {
    final List<String> out = new ArrayList<>();
    int start = 0;
    int at = diff.indexOf("\n" + FILE_HEADER);
    while (at >= 0) {
      if (at + 1 > start) {
        out.add(diff.substring(start, at + 1));
      }
      start = at + 1;
      at = diff.indexOf("\n" + FILE_HEADER, start);
    }
    if (start < diff.length()) {
      out.add(diff.substring(start));
    }
    return out;
  }

  private static boolean isNewFile(final String section) {
    for (final String line : section.split("\n")) {
      if (line.startsWith("new file mode ")) {
        return true;
      }
      if (line.startsWith("@@") || line.startsWith("--- ") || line.startsWith("GIT binary patch")) {
        return false;
      }
    }
    return false;
  }

  /** The new file's path from {@code diff --git a/P b/P} (both sides are equal for an added file). */
  static String newPath(final String section) {
    final String header = section.substring(FILE_HEADER.length(), section.indexOf('\n') < 0 ? section.length()
        : section.indexOf('\n'));
    if (header.startsWith("\"")) {
      // git quotes paths with special characters: "a/P" "b/P"
      final int mid = header.indexOf("\" \"");
      return unquote(header.substring(mid + 2)).substring(2);
    }
    // "a/P b/P": P is (length - 1) / 2 - 2 characters long, whatever spaces it holds.
    return header.substring(2, 2 + (header.length() - 1) / 2 - 2);
  }

  private static String unquote(final String quoted) {
    final String inner = quoted.substring(1, quoted.length() - 1);
    return inner.replace("\\\"", "\"").replace("\\\\", "\\");
  }
}
