package io.r2estream.producers.commits;

import io.r2estream.paths.TestPaths;
import java.util.Locale;
import java.util.Map;

/**
 * Classifies a repository path: R2E-Gym's test-file predicate ({@code FileDiff.is_test_file}) and the language
 * guessed from the extension. Both are decided here once so that the scanner and the downstream filters agree.
 */
public final class FileClassifier {

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

  /** R2E-Gym's test-file predicate; the rule itself lives in {@link TestPaths} (schemas) for every module. */
  public static boolean isTestFile(final String path) {
    return TestPaths.isTestFile(path);
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
