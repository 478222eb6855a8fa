package io.r2estream.agent;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code search} tool ({@code search_term}, {@code path} default {@code .}), printing R2E-Gym's texts: on a
 * file, {@code grep -n} (the term is a basic regular expression, as there); on a directory, the number of lines
 * holding the term literally in each non-hidden Python file (every non-hidden file when not Python-only), files in
 * sorted walk order, and "More than N files matched ... Please narrow your search." when more than
 * {@value #MAX_FILES} files match. A missing {@code search_term} prints
 * "ERROR: Missing required parameter 'search_term' for 'search'."
 */
final class SearchTool {

  static final int MAX_FILES = 100;
  private static final Duration GREP_TIMEOUT = Duration.ofSeconds(60);

  private final ContainerFiles files;
  private final boolean pythonOnly;

  SearchTool(final ContainerFiles files, final boolean pythonOnly) {
    this.files = files;
    this.pythonOnly = pythonOnly;
  }

  String run(final Action action) {
    final String term = action.parameter("search_term");
    if (term == null) {
      return "ERROR: Missing required parameter 'search_term' for 'search'.\n";
    }
    final String path = action.parameter("path") == null || action.parameter("path").isBlank()
        ? "." : action.parameter("path");
    final ContainerFiles.PathInfo info = files.info(FileEditor.absolute(path));
    return info.kind() == ContainerFiles.Kind.FILE ? inFile(term, info.realPath()) : inDirectory(term, path);
  }

  private String inFile(final String term, final String file) {
    final var grep = files.run("grep -n -e \"$R2E_TERM\" -- \"$R2E_PATH\"", Map.of("R2E_TERM", term,
        "R2E_PATH", file), GREP_TIMEOUT);
    if (grep.exitCode() == 1 && !grep.timedOut()) {
      return "No matches found for \"" + term + "\" in " + file + "\n";
    }
    if (grep.exitCode() != 0) {
      return "Error executing grep:\n" + grep.stderr() + "\n";
    }
    return "Matches for \"" + term + "\" in " + file + ":\n" + grep.stdout().strip() + "\n";
  }

  @SuppressWarnings("unchecked")
  private String inDirectory(final String term, final String path) {
    final Map<String, Object> answer = files.helper("search", Map.of("R2E_PATH", path, "R2E_TERM", term,
        "R2E_PY_ONLY", pythonOnly ? "1" : "0"));
    final String dir = String.valueOf(answer.get("dir"));
    if (answer.containsKey("error")) {
      return "Directory '" + dir + "' not found or not a directory.\n";
    }
    final List<List<Object>> matches = (List<List<Object>>) answer.get("matches");
    if (matches.isEmpty()) {
      return "No matches found for \"" + term + "\" in " + dir + "\n";
    }
    if (matches.size() > MAX_FILES) {
      return "More than " + matches.size() + " files matched for \"" + term + "\" in " + dir
          + ". Please narrow your search.\n";
    }
    final int total = matches.stream().mapToInt(m -> ((Number) m.get(1)).intValue()).sum();
    final StringBuilder out = new StringBuilder("Found " + total + " matches for \"" + term + "\" in " + dir + ":\n");
    matches.forEach(m -> out.append(m.get(0)).append(" (").append(m.get(1)).append(" matches)\n"));
    return out.append("End of matches for \"").append(term).append("\" in ").append(dir).append('\n').toString();
  }
}
