package io.r2estream.streams.envgen;

/**
 * The SWE-GEN rules in the order {@link CommitSelector} applies them; a rejection names the first that failed.
 * The ids are the machine-readable {@code rule} of {@code CommitRejection} and must not change: dashboards and
 * the rejection statistics group by them.
 */
public enum SweGenRule {
  /** The commit has no parent: there is no buggy version to start from. */
  ROOT_COMMIT("root_commit"),
  /** The commit touches no file. */
  EMPTY_COMMIT("empty_commit"),
  /** A file was renamed or copied (R2E's diff parser rejects differing a/ and b/ paths). */
  RENAMED_FILES("renamed_files"),
  /** A patch or a Python content the rules need was omitted by the producer's size caps. */
  DIFF_TRUNCATED("diff_truncated"),
  /** No .py file is touched. */
  NO_PYTHON_FILES("no_python_files"),
  /** A touched file has an extension outside the allow-list, is binary, or is not UTF-8. */
  NON_PYTHON_FILES("non_python_files"),
  /** Only test files are touched. */
  NO_NON_TEST_FILES("no_non_test_files"),
  /** Too many non-test files are touched. */
  TOO_MANY_NON_TEST_FILES("too_many_non_test_files"),
  /** The diff has too few hunks. */
  NO_HUNKS("no_hunks"),
  /** The number of edited non-test lines is outside the allowed range. */
  TOO_MANY_EDITED_LINES("too_many_edited_lines"),
  /** The .py patches are too long. */
  PATCH_TOO_LONG("patch_too_long"),
  /** An old or new .py file does not parse as Python 3. */
  PYTHON_SYNTAX_ERROR("python_syntax_error"),
  /** The non-test code changes only docstrings, comments or formatting. */
  DOCSTRING_ONLY("docstring_only"),
  /** Non-test entities were deleted. */
  ENTITIES_DELETED("entities_deleted"),
  /** Too many non-test entities were added. */
  TOO_MANY_ADDED_ENTITIES("too_many_added_entities"),
  /** The number of modified non-test entities is outside the allowed range. */
  EDITED_ENTITIES_OUT_OF_RANGE("edited_entities_out_of_range"),
  /** Too many top-level statements were touched. */
  TOO_MANY_STATEMENT_CHANGES("too_many_statement_changes"),
  /** No entity of a test file was edited. */
  NO_TEST_ENTITY_EDIT("no_test_entity_edit"),
  /** No test entity names a modified function or method (nor an issue). */
  NO_TEST_MATCH("no_test_match");

  private final String id;

  SweGenRule(final String id) {
    this.id = id;
  }

  /** The rule id written to {@code CommitRejection.rule}. */
  public String id() {
    return id;
  }
}
