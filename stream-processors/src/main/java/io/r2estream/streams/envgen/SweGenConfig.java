package io.r2estream.streams.envgen;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Thresholds and switches of the SWE-GEN commit selection (reference r2egym.md 2.3 and Appendix A). Every bound
 * is inclusive, so "fewer than 5 non-test files" is {@code maxNonTestFiles = 4}. The {@link #fingerprint()} of the
 * effective values becomes the {@code selector_version} of every decision, so a changed threshold re-decides
 * commits that were already seen.
 *
 * @param maxNonTestFiles          at most this many non-test files of any extension (R2E: 0 &lt; n &lt; 5)
 * @param minHunks                 at least this many hunks over all files (R2E: &gt; 0)
 * @param maxNonTestEditedLines    at most this many +/- lines in non-test files (R2E: 0 &lt; n &lt; 200)
 * @param maxPythonPatchChars      at most this many characters of .py patches, test files included (R2E: &lt; 10000)
 * @param allowedExtensions        extensions (text after the last '.' of the path) a commit may touch
 * @param maxDeletedEntities       at most this many deleted non-test entities (R2E: 0)
 * @param maxAddedEntities         at most this many added non-test entities (R2E: 1)
 * @param minEditedEntities        at least this many modified non-test entities (R2E: &gt; 0)
 * @param maxEditedEntities        at most this many modified non-test entities (R2E: 4)
 * @param maxStatementChanges      at most this many touched top-level statements over all .py files (R2E: 6)
 * @param docstringFilter          reject commits whose code changes are only docstrings, comments or formatting
 * @param bugEditFilter            apply the entity-count rules (deleted, added, edited, statements)
 * @param testEntityFilter         require an edited entity in a test file
 * @param testMatchFilter          require a test entity that names the fix (or an issue)
 * @param decoratorsInEntity       decorator lines belong to the decorated entity (R2E's ast spans start at def)
 * @param pythonParser             which parser finds the entities: {@link Parser#TOKENS} (default, fast) or
 *                                 {@link Parser#TREE_SITTER} (the reference, ~10x slower)
 */
public record SweGenConfig(
    int maxNonTestFiles,
    int minHunks,
    int maxNonTestEditedLines,
    int maxPythonPatchChars,
    Set<String> allowedExtensions,
    int maxDeletedEntities,
    int maxAddedEntities,
    int minEditedEntities,
    int maxEditedEntities,
    int maxStatementChanges,
    boolean docstringFilter,
    boolean bugEditFilter,
    boolean testEntityFilter,
    boolean testMatchFilter,
    boolean decoratorsInEntity,
    Parser pythonParser) {

  /** The Python parsers the entity analysis can use; both find the same entities (tested on the stdlib). */
  public enum Parser {
    /** {@link TokenPythonParser}: CPython's tokenizer rules and a grammar check in Java. */
    TOKENS("tokens"),
    /** {@link TreeSitterPythonParser}: tree-sitter's Python grammar through JNI. */
    TREE_SITTER("tree-sitter");

    private final String id;

    Parser(final String id) {
      this.id = id;
    }

    /** The configuration value. */
    public String id() {
      return id;
    }

    static Parser of(final String id) {
      for (final Parser p : values()) {
        if (p.id.equals(id)) {
          return p;
        }
      }
      return null;
    }
  }

  private static final String PREFIX = "r2e.swegen.";
  /** Most non-test files (any extension) a selected commit may touch; R2E keeps fewer than 5. */
  public static final String MAX_NON_TEST_FILES_CONFIG = PREFIX + "max.non.test.files";
  /** Fewest diff hunks (all files) a selected commit must have; R2E requires at least one. */
  public static final String MIN_HUNKS_CONFIG = PREFIX + "min.hunks";
  /** Most added plus deleted lines in non-test files; R2E keeps fewer than 200. */
  public static final String MAX_NON_TEST_EDITED_LINES_CONFIG = PREFIX + "max.non.test.edited.lines";
  /** Most characters of the .py file patches (test files included); R2E keeps fewer than 10000. */
  public static final String MAX_PYTHON_PATCH_CHARS_CONFIG = PREFIX + "max.python.patch.chars";
  /** Comma-separated extensions (text after the last '.' of the path) a selected commit may touch. */
  public static final String ALLOWED_EXTENSIONS_CONFIG = PREFIX + "allowed.extensions";
  /** Most deleted non-test functions, classes, methods and imports; R2E allows none. */
  public static final String MAX_DELETED_ENTITIES_CONFIG = PREFIX + "max.deleted.entities";
  /** Most added non-test functions, classes, methods and imports; R2E allows one. */
  public static final String MAX_ADDED_ENTITIES_CONFIG = PREFIX + "max.added.entities";
  /** Fewest modified non-test functions, classes, methods and imports; R2E requires one. */
  public static final String MIN_EDITED_ENTITIES_CONFIG = PREFIX + "min.edited.entities";
  /** Most modified non-test functions, classes, methods and imports; R2E allows four. */
  public static final String MAX_EDITED_ENTITIES_CONFIG = PREFIX + "max.edited.entities";
  /** Most touched top-level statements over all .py files, tests included; R2E allows six. */
  public static final String MAX_STATEMENT_CHANGES_CONFIG = PREFIX + "max.statement.changes";
  /** Whether commits that only change docstrings, comments or formatting are rejected. */
  public static final String DOCSTRING_FILTER_CONFIG = PREFIX + "docstring.filter";
  /** Whether the bug-edit entity counts (deleted, added, edited, statements) are enforced. */
  public static final String BUG_EDIT_FILTER_CONFIG = PREFIX + "bug.edit.filter";
  /** Whether a selected commit must edit an entity of a test file. */
  public static final String TEST_ENTITY_FILTER_CONFIG = PREFIX + "test.entity.filter";
  /** Whether a test entity must name a modified function/method (or contain "issue"). */
  public static final String TEST_MATCH_FILTER_CONFIG = PREFIX + "test.match.filter";
  /** Whether decorator lines belong to the decorated entity (false = R2E's ast spans, from the def line). */
  public static final String DECORATORS_IN_ENTITY_CONFIG = PREFIX + "decorators.in.entity";
  /** Which Python parser finds entities: tokens (fast, default) or tree-sitter (the reference). */
  public static final String PYTHON_PARSER_CONFIG = PREFIX + "python.parser";

  /** R2E-Gym's extension allow-list (RepoAnalysisLoadArgs). */
  public static final List<String> R2E_EXTENSIONS = List.of("py", "rst", "yml", "toml", "sh", "md", "txt", "test",
      "gitignore", "feature", "removal", "bugfix", "cfg", "misc", "doc", "dat", "ini", "Makefile", "pip", "treerc",
      "xml", "pylintrc", "html", "in", "css");

  /** Bumped when the selection code changes meaning, so that the fingerprint changes with it. */
  private static final String ALGORITHM_VERSION = "1";

  public SweGenConfig {
    allowedExtensions = Set.copyOf(allowedExtensions);
    java.util.Objects.requireNonNull(pythonParser, "pythonParser");
    final List<String> errors = new ArrayList<>();
    requireAtLeast(errors, MAX_NON_TEST_FILES_CONFIG, maxNonTestFiles, 1);
    requireAtLeast(errors, MIN_HUNKS_CONFIG, minHunks, 0);
    requireAtLeast(errors, MAX_NON_TEST_EDITED_LINES_CONFIG, maxNonTestEditedLines, 1);
    requireAtLeast(errors, MAX_PYTHON_PATCH_CHARS_CONFIG, maxPythonPatchChars, 1);
    requireAtLeast(errors, MAX_DELETED_ENTITIES_CONFIG, maxDeletedEntities, 0);
    requireAtLeast(errors, MAX_ADDED_ENTITIES_CONFIG, maxAddedEntities, 0);
    requireAtLeast(errors, MIN_EDITED_ENTITIES_CONFIG, minEditedEntities, 0);
    requireAtLeast(errors, MAX_STATEMENT_CHANGES_CONFIG, maxStatementChanges, 0);
    if (maxEditedEntities < minEditedEntities) {
      errors.add(MAX_EDITED_ENTITIES_CONFIG + "=" + maxEditedEntities + " is below " + MIN_EDITED_ENTITIES_CONFIG
          + "=" + minEditedEntities);
    }
    if (!allowedExtensions.contains("py")) {
      errors.add(ALLOWED_EXTENSIONS_CONFIG + "=" + allowedExtensions + " must contain py");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid SWE-GEN configuration: " + String.join("; ", errors));
    }
  }

  /** R2E-Gym's defaults, every filter on. */
  public static SweGenConfig defaults() {
    return new SweGenConfig(4, 1, 199, 9999, Set.copyOf(R2E_EXTENSIONS), 0, 1, 1, 4, 6,
        true, true, true, true, true, Parser.TOKENS);
  }

  /** The defaults overridden by the {@code r2e.swegen.*} entries of a config map; other keys are ignored. */
  public static SweGenConfig fromProperties(final Map<String, ?> props) {
    final SweGenConfig d = defaults();
    final List<String> errors = new ArrayList<>();
    final Reader r = new Reader(props, errors);
    final SweGenConfig cfg = new SweGenConfig(
        r.integer(MAX_NON_TEST_FILES_CONFIG, d.maxNonTestFiles),
        r.integer(MIN_HUNKS_CONFIG, d.minHunks),
        r.integer(MAX_NON_TEST_EDITED_LINES_CONFIG, d.maxNonTestEditedLines),
        r.integer(MAX_PYTHON_PATCH_CHARS_CONFIG, d.maxPythonPatchChars),
        r.extensions(ALLOWED_EXTENSIONS_CONFIG, d.allowedExtensions),
        r.integer(MAX_DELETED_ENTITIES_CONFIG, d.maxDeletedEntities),
        r.integer(MAX_ADDED_ENTITIES_CONFIG, d.maxAddedEntities),
        r.integer(MIN_EDITED_ENTITIES_CONFIG, d.minEditedEntities),
        r.integer(MAX_EDITED_ENTITIES_CONFIG, d.maxEditedEntities),
        r.integer(MAX_STATEMENT_CHANGES_CONFIG, d.maxStatementChanges),
        r.bool(DOCSTRING_FILTER_CONFIG, d.docstringFilter),
        r.bool(BUG_EDIT_FILTER_CONFIG, d.bugEditFilter),
        r.bool(TEST_ENTITY_FILTER_CONFIG, d.testEntityFilter),
        r.bool(TEST_MATCH_FILTER_CONFIG, d.testMatchFilter),
        r.bool(DECORATORS_IN_ENTITY_CONFIG, d.decoratorsInEntity),
        r.parser(PYTHON_PARSER_CONFIG, d.pythonParser));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("invalid SWE-GEN configuration: " + String.join("; ", errors));
    }
    return cfg;
  }

  /** Every config key of this class, for documentation and validation. */
  public static List<String> keys() {
    return List.of(MAX_NON_TEST_FILES_CONFIG, MIN_HUNKS_CONFIG, MAX_NON_TEST_EDITED_LINES_CONFIG,
        MAX_PYTHON_PATCH_CHARS_CONFIG, ALLOWED_EXTENSIONS_CONFIG, MAX_DELETED_ENTITIES_CONFIG,
        MAX_ADDED_ENTITIES_CONFIG, MIN_EDITED_ENTITIES_CONFIG, MAX_EDITED_ENTITIES_CONFIG,
        MAX_STATEMENT_CHANGES_CONFIG, DOCSTRING_FILTER_CONFIG, BUG_EDIT_FILTER_CONFIG, TEST_ENTITY_FILTER_CONFIG,
        TEST_MATCH_FILTER_CONFIG, DECORATORS_IN_ENTITY_CONFIG, PYTHON_PARSER_CONFIG);
  }

  /** The effective values as config entries (extensions sorted), the input of {@link #fingerprint()}. */
  public Map<String, String> toProperties() {
    final Map<String, String> m = new java.util.LinkedHashMap<>();
    m.put(MAX_NON_TEST_FILES_CONFIG, Integer.toString(maxNonTestFiles));
    m.put(MIN_HUNKS_CONFIG, Integer.toString(minHunks));
    m.put(MAX_NON_TEST_EDITED_LINES_CONFIG, Integer.toString(maxNonTestEditedLines));
    m.put(MAX_PYTHON_PATCH_CHARS_CONFIG, Integer.toString(maxPythonPatchChars));
    m.put(ALLOWED_EXTENSIONS_CONFIG, String.join(",", new TreeSet<>(allowedExtensions)));
    m.put(MAX_DELETED_ENTITIES_CONFIG, Integer.toString(maxDeletedEntities));
    m.put(MAX_ADDED_ENTITIES_CONFIG, Integer.toString(maxAddedEntities));
    m.put(MIN_EDITED_ENTITIES_CONFIG, Integer.toString(minEditedEntities));
    m.put(MAX_EDITED_ENTITIES_CONFIG, Integer.toString(maxEditedEntities));
    m.put(MAX_STATEMENT_CHANGES_CONFIG, Integer.toString(maxStatementChanges));
    m.put(DOCSTRING_FILTER_CONFIG, Boolean.toString(docstringFilter));
    m.put(BUG_EDIT_FILTER_CONFIG, Boolean.toString(bugEditFilter));
    m.put(TEST_ENTITY_FILTER_CONFIG, Boolean.toString(testEntityFilter));
    m.put(TEST_MATCH_FILTER_CONFIG, Boolean.toString(testMatchFilter));
    m.put(DECORATORS_IN_ENTITY_CONFIG, Boolean.toString(decoratorsInEntity));
    m.put(PYTHON_PARSER_CONFIG, pythonParser.id());
    return m;
  }

  /** A stable 12-hex-digit SHA-256 of the algorithm version and the effective values: the selector_version. */
  public String fingerprint() {
    final StringBuilder sb = new StringBuilder("swegen/").append(ALGORITHM_VERSION);
    toProperties().forEach((k, v) -> sb.append('\n').append(k).append('=').append(v));
    try {
      final byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return "swegen-" + HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void requireAtLeast(final List<String> errors, final String key, final int value, final int min) {
    if (value < min) {
      errors.add(key + "=" + value + " must be at least " + min);
    }
  }

  /** Reads typed values, collecting every bad entry instead of failing on the first. */
  private record Reader(Map<String, ?> props, List<String> errors) {

    int integer(final String key, final int fallback) {
      final Object v = props.get(key);
      if (v == null) {
        return fallback;
      }
      try {
        return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
      } catch (NumberFormatException e) {
        errors.add(key + "='" + v + "' is not an integer");
        return fallback;
      }
    }

    boolean bool(final String key, final boolean fallback) {
      final Object v = props.get(key);
      if (v == null) {
        return fallback;
      }
      final String s = v.toString().trim();
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        errors.add(key + "='" + v + "' is not true or false");
        return fallback;
      }
      return Boolean.parseBoolean(s);
    }

    Parser parser(final String key, final Parser fallback) {
      final Object v = props.get(key);
      if (v == null) {
        return fallback;
      }
      final Parser p = Parser.of(v.toString().trim());
      if (p == null) {
        errors.add(key + "='" + v + "' is not tokens or tree-sitter");
        return fallback;
      }
      return p;
    }

    Set<String> extensions(final String key, final Set<String> fallback) {
      final Object v = props.get(key);
      if (v == null) {
        return fallback;
      }
      final Set<String> out = new LinkedHashSet<>();
      Arrays.stream(v.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty())
          .map(s -> s.startsWith(".") ? s.substring(1) : s).forEach(out::add);
      if (out.isEmpty()) {
        errors.add(key + "='" + v + "' lists no extension");
        return fallback;
      }
      return out;
    }
  }
}
