package io.r2estream.recipes;

import io.r2estream.grading.TestLogParsers;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How to build and test one repository's environment: install commands (run once per env image, network
 * allowed), the test command template, which paths are test files, the parser of the test command's log, the
 * environment of both, and their time limits. A recipe is data: overriding one field by configuration leaves
 * the others at the default ({@link RecipeRegistry}).
 *
 * @param name                 the repository the recipe is for, or {@code default}
 * @param installCommands      shell lines run in order as one bash script ({@link #installScript()})
 * @param testCommandTemplate  shell command; {@value #TESTS_PLACEHOLDER} becomes the shell-quoted test files
 * @param testFiles            which repository paths are test files
 * @param logParser            name in {@link TestLogParsers}
 * @param env                  environment of the install script and of every test run
 * @param installTimeout       time limit of the install script
 * @param testTimeout          time limit of one test command run
 */
public record RepositoryRecipe(String name, List<String> installCommands, String testCommandTemplate,
    TestFileRule testFiles, String logParser, Map<String, String> env, Duration installTimeout,
    Duration testTimeout) {

  public static final String TESTS_PLACEHOLDER = "{tests}";

  public RepositoryRecipe {
    installCommands = List.copyOf(installCommands);
    env = Collections.unmodifiableMap(new TreeMap<>(env));
    if (!testCommandTemplate.contains(TESTS_PLACEHOLDER)) {
      throw new IllegalArgumentException("Test command template of recipe '" + name + "' has no "
          + TESTS_PLACEHOLDER + " placeholder: " + testCommandTemplate);
    }
    TestLogParsers.get(logParser);
    if (installTimeout.isNegative() || installTimeout.isZero() || testTimeout.isNegative() || testTimeout.isZero()) {
      throw new IllegalArgumentException("Timeouts of recipe '" + name + "' must be positive: install "
          + installTimeout + ", test " + testTimeout);
    }
  }

  /** The test command for these repository-relative test files, each single-quoted for the shell. */
  public String testCommand(final List<String> testFiles) {
    return testCommandTemplate.replace(TESTS_PLACEHOLDER,
        testFiles.stream().map(RepositoryRecipe::shellQuote).collect(Collectors.joining(" ")));
  }

  /** The install commands as one bash script; the lines share variables and the working directory. */
  public String installScript() {
    return "#!/bin/bash\n# Install script of recipe " + name + " (generated).\nset -u\n"
        + String.join("\n", installCommands) + "\n";
  }

  public boolean isTestFile(final String path) {
    return testFiles.isTestFile(path);
  }

  static String shellQuote(final String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  RepositoryRecipe withName(final String n) {
    return new RepositoryRecipe(n, installCommands, testCommandTemplate, testFiles, logParser, env, installTimeout,
        testTimeout);
  }
}
