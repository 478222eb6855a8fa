package io.r2estream.paths;

import java.util.Set;

/**
 * R2E-Gym's test-file predicate ({@code FileDiff.is_test_file}), in the one module every other depends on, so that
 * the commit scanner (which labels files), SWE-GEN (which splits code from tests) and the repository recipes
 * (which choose the hidden test files) agree.
 */
public final class TestPaths {

  /** Directory (or file) names that make every path below them a test path in R2E-Gym. */
  private static final Set<String> TEST_COMPONENTS = Set.of("tests", "Tests", "test", "Test");

  private TestPaths() {
  }

  /**
   * The path ends {@code _test.py}, or its basename starts {@code test_}, or any of its components is
   * {@code tests}, {@code Tests}, {@code test} or {@code Test}.
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
}
