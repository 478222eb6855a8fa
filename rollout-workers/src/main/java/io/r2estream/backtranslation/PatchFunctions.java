package io.r2estream.backtranslation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recovers the source of test functions from a unified diff of test files. The validation record carries the test
 * patch but not the full test files, so a function is read from the patch's new side (added and context lines): a
 * test added by the commit (the usual FAIL_TO_PASS case) comes out whole; a test only edited comes out as far as the
 * hunk shows it, and the cut is marked with a {@code ...} line. R2E-Gym reads the whole file and may include the
 * enclosing class when the test uses {@code self.}; that needs the file, so here only the function is given.
 */
final class PatchFunctions {

  private static final Pattern HUNK = Pattern.compile("^@@ -\\d+(?:,\\d+)? \\+(\\d+)(?:,\\d+)? @@.*");

  /** One line of a file's new version that the diff shows. */
  record NewLine(int number, String text) {
  }

  private final Map<String, List<NewLine>> files;

  private PatchFunctions(final Map<String, List<NewLine>> files) {
    this.files = files;
  }

  static PatchFunctions of(final String patch) {
    final Map<String, List<NewLine>> files = new LinkedHashMap<>();
    List<NewLine> current = null;
    int next = -1;
    boolean inHunk = false;
    for (final String line : patch.split("\n", -1)) {
      if (line.startsWith("diff --git ")) {
        current = null;
        inHunk = false;
      } else if (!inHunk && line.startsWith("+++ ")) {
        final String path = line.substring(4).trim();
        current = path.equals("/dev/null") ? null
            : files.computeIfAbsent(path.startsWith("b/") ? path.substring(2) : path, k -> new ArrayList<>());
      } else if (line.startsWith("@@")) {
        final Matcher m = HUNK.matcher(line);
        inHunk = m.matches() && current != null;
        next = inHunk ? Integer.parseInt(m.group(1)) : -1;
      } else if (inHunk && (line.startsWith("+") || line.startsWith(" "))) {
        current.add(new NewLine(next++, line.substring(1)));
      } else if (inHunk && !line.startsWith("-") && !line.startsWith("\\")) {
        inHunk = false;
      }
    }
    return new PatchFunctions(files);
  }

  /** The new-side lines of each file of the patch, by path. */
  Map<String, List<NewLine>> files() {
    return files;
  }

  /** The source of {@code test} as far as the patch shows it, or empty when its {@code def} is not in the patch. */
  Optional<String> source(final TestId test) {
    for (final Map.Entry<String, List<NewLine>> e : files.entrySet()) {
      if (test.file().isEmpty() || e.getKey().endsWith(test.file()) || test.file().endsWith(e.getKey())) {
        final Optional<String> found = source(e.getValue(), test);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> source(final List<NewLine> lines, final TestId test) {
    final Pattern def = Pattern.compile("^(\\s*)(?:async\\s+)?def\\s+" + Pattern.quote(test.function()) + "\\s*\\(");
    final String lastOwner = test.owner().isEmpty() ? "" : test.owner().substring(test.owner().lastIndexOf('.') + 1);
    final Pattern owner = Pattern.compile("^\\s*class\\s+" + Pattern.quote(lastOwner) + "\\b");
    int start = -1;
    boolean ownerSeen = lastOwner.isEmpty();
    for (int i = 0; i < lines.size() && start < 0; i++) {
      ownerSeen |= !lastOwner.isEmpty() && owner.matcher(lines.get(i).text()).find();
      final Matcher m = def.matcher(lines.get(i).text());
      // A method of the named class is wanted when the class shows in the patch; otherwise any def of that name.
      if (m.find() && (ownerSeen || lastOwner.isEmpty() || !m.group(1).isEmpty())) {
        start = i;
      }
    }
    if (start < 0) {
      return Optional.empty();
    }
    final int indent = indentOf(lines.get(start).text());
    int first = start;
    while (first > 0 && lines.get(first - 1).number() == lines.get(first).number() - 1
        && lines.get(first - 1).text().trim().startsWith("@") && indentOf(lines.get(first - 1).text()) == indent) {
      first--;
    }
    final List<String> out = new ArrayList<>();
    for (int i = first; i <= start; i++) {
      out.add(lines.get(i).text());
    }
    int i = start + 1;
    for (; i < lines.size(); i++) {
      final NewLine l = lines.get(i);
      if (l.number() != lines.get(i - 1).number() + 1) {
        out.add(" ".repeat(indent + 4) + "...");
        break;
      }
      if (!l.text().isBlank() && indentOf(l.text()) <= indent) {
        break;
      }
      out.add(l.text());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) {
      out.remove(out.size() - 1);
    }
    return Optional.of(String.join("\n", out));
  }

  private static int indentOf(final String line) {
    int n = 0;
    while (n < line.length() && (line.charAt(n) == ' ' || line.charAt(n) == '\t')) {
      n++;
    }
    return n;
  }
}
