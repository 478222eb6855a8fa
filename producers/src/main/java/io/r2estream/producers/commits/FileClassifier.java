package io.r2estream.producers.commits;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Classifies a repository path: R2E-Gym's test-file predicate ({@code FileDiff.is_test_file}) and the language
 * guessed from the extension. Both are decided here once so that the scanner and the downstream filters agree.
 */
public final class FileClassifier {

  /** Directory (or file) names that make every path below them a test path in R2E-Gym. */
  private static final Set<String> TEST_COMPONENTS = Set.of("tests", "Tests", "test", "Test");

  private static final Map<String, String> LANGUAGES = Map.ofEntries(
      Map.entry("py", "python"), Map.entry("pyi", "python"), Map.entry("pyx", "cython"), Map.entry("pxd", "cython"),
      Map.entry("c", "c"), Map.entry("h", "c"), Map.entry("cc", "cpp"), Map.entry("cpp", "cpp"),
      Map.entry("cxx", "cpp"), Map.entry("hpp", "cpp"), Map.entry("java", "java"), Map.entry("kt", "kotlin"),
      Map.entry("scala", "scala"), Map.entry("go", "go"), Map.entry("rs", "rust"), Map.entry("js", "javascript"),
      Map.entry("mjs", "javascript"), Map.entry("ts", "typescript"), Map.entry("rb", "ruby"),
      Map.entry("sh", "shell"), Map.entry("bash", "shell"), Map.entry("md", "markdown"),
      Map.entry("rst", "restructuredtext"), Map.entry("txt", "text"), Map.entry("yml", "yaml"),
      Map.entry("yaml", "yaml"), Map.entry("toml", "toml"), Map.entry("json", "json"), Map.entry("cfg", "ini"),
      Map.entry("ini", "ini"), Map.entry("xml", "xml"), Map.entry("html", "html"), Map.entry("css", "css"),
      Map.entry("sql", "sql"), Map.entry("f", "fortran"), Map.entry("f90", "fortran"));

  private FileClassifier() {
  }

  /**
   * R2E-Gym's predicate: the path ends {@code _test.py}, or its basename starts {@code test_}, or any of its
   * components is {@code tests}, {@code Tests}, {@code test} or {@code Test}.
   */
  public static boolean isTestFile(final String path) {
    if (path == null || path.isEmpty()) {
      return false;
    }
    if (path.endsWith("_test.py")) {
      return true;
    }
    final String[] parts = path.split("/");
    if (parts[parts.length - 1].startsWith("test_")) {
      return true;
    }
    for (final String part : parts) {
      if (TEST_COMPONENTS.contains(part)) {
        return true;
      }
    }
    return false;
  }

  /** The language of a path from its extension, or null when unknown (no extension or not in the table). */
  public static String language(final String path) {
    if (path == null) {
      return null;
    }
    final String base = path.substring(path.lastIndexOf('/') + 1);
    final int dot = base.lastIndexOf('.');
    if (dot <= 0 || dot == base.length() - 1) {
      return null;
    }
    return LANGUAGES.get(base.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Whether the entity analysis needs this file's old and new contents (Python sources only). */
  public static boolean needsContents(final String language) {
    return "python".equals(language);
  }
}
