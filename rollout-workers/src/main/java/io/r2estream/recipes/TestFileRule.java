package io.r2estream.recipes;

import io.r2estream.paths.TestPaths;
import java.util.regex.Pattern;

/**
 * Which repository paths are test files for a recipe: R2E-Gym's rule ({@link TestPaths#isTestFile}, shared with
 * the commit scanner and SWE-GEN) unless the recipe gives a regex, which must then match the whole path.
 *
 * @param regex the override, or null for R2E-Gym's rule
 */
public record TestFileRule(String regex) {

  private static final TestFileRule R2E = new TestFileRule(null);

  public TestFileRule {
    if (regex != null) {
      Pattern.compile(regex);
    }
  }

  public static TestFileRule r2eGym() {
    return R2E;
  }

  public static TestFileRule regex(final String regex) {
    return new TestFileRule(regex);
  }

  public boolean isTestFile(final String path) {
    if (path == null) {
      return false;
    }
    return regex == null ? TestPaths.isTestFile(path) : Pattern.compile(regex).matcher(path).matches();
  }

  @Override
  public String toString() {
    return regex == null ? "r2e-gym" : "regex:" + regex;
  }
}
