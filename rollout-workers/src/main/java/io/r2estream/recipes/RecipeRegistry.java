package io.r2estream.recipes;

import io.r2estream.config.ConfigKeys;
import io.r2estream.grading.TestLogParsers;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recipes by repository: the default Python recipe, with fields overridden per repository by configuration keys
 * {@code r2e.recipes.<repository>.<field>} ({@link ConfigKeys#RECIPES_PREFIX}); the repository part may contain
 * dots and slashes since the field is read from the end of the key. Invalid overrides fail at start-up, naming
 * the key and the value.
 */
public final class RecipeRegistry {

  private static final List<String> FIELDS = List.of(ConfigKeys.RECIPE_INSTALL, ConfigKeys.RECIPE_TEST_COMMAND,
      ConfigKeys.RECIPE_TEST_FILE_REGEX, ConfigKeys.RECIPE_LOG_PARSER, ConfigKeys.RECIPE_INSTALL_TIMEOUT,
      ConfigKeys.RECIPE_TEST_TIMEOUT);

  private final RepositoryRecipe fallback;
  private final Map<String, RepositoryRecipe> byRepository;

  private RecipeRegistry(final RepositoryRecipe fallback, final Map<String, RepositoryRecipe> byRepository) {
    this.fallback = fallback;
    this.byRepository = Map.copyOf(byRepository);
  }

  /** Only the default recipe. */
  public static RecipeRegistry defaults() {
    return new RecipeRegistry(DefaultRecipes.python(), Map.of());
  }

  /** The default recipe plus the overrides among {@code config}'s keys (other keys are ignored). */
  public static RecipeRegistry fromConfig(final Map<String, String> config) {
    final Map<String, Map<String, String>> fields = new TreeMap<>();
    for (final Map.Entry<String, String> e : new TreeMap<>(config).entrySet()) {
      final String key = e.getKey();
      if (!key.startsWith(ConfigKeys.RECIPES_PREFIX)) {
        continue;
      }
      final String rest = key.substring(ConfigKeys.RECIPES_PREFIX.length());
      final String field = FIELDS.stream().filter(f -> rest.endsWith("." + f)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("Recipe key '" + key + "' does not end with a recipe field; fields: "
              + String.join(", ", FIELDS)));
      final String repository = rest.substring(0, rest.length() - field.length() - 1);
      if (repository.isEmpty()) {
        throw new IllegalArgumentException("Recipe key '" + key + "' names no repository");
      }
      fields.computeIfAbsent(repository, r -> new TreeMap<>()).put(field, e.getValue());
    }
    final Map<String, RepositoryRecipe> recipes = new TreeMap<>();
    fields.forEach((repo, f) -> recipes.put(repo, override(DefaultRecipes.python().withName(repo), f)));
    return new RecipeRegistry(DefaultRecipes.python(), recipes);
  }

  /** The recipe for {@code repository}: its overrides, or the default recipe. */
  public RepositoryRecipe forRepository(final String repository) {
    return byRepository.getOrDefault(repository, fallback);
  }

  /** Repositories with overrides. */
  public java.util.Set<String> overridden() {
    return new java.util.TreeSet<>(byRepository.keySet());
  }

  private static RepositoryRecipe override(final RepositoryRecipe base, final Map<String, String> f) {
    final String repo = base.name();
    final List<String> install = f.containsKey(ConfigKeys.RECIPE_INSTALL)
        ? Arrays.stream(f.get(ConfigKeys.RECIPE_INSTALL).split("\n")).filter(l -> !l.isBlank()).toList()
        : base.installCommands();
    final String parser = f.getOrDefault(ConfigKeys.RECIPE_LOG_PARSER, base.logParser()).strip();
    if (!TestLogParsers.contains(parser)) {
      throw new IllegalArgumentException("Recipe key '" + key(repo, ConfigKeys.RECIPE_LOG_PARSER)
          + "' names unknown parser '" + parser + "'; known parsers: " + String.join(", ", TestLogParsers.names()));
    }
    final TestFileRule testFiles;
    if (f.containsKey(ConfigKeys.RECIPE_TEST_FILE_REGEX)) {
      try {
        testFiles = TestFileRule.regex(f.get(ConfigKeys.RECIPE_TEST_FILE_REGEX));
      } catch (final java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("Recipe key '" + key(repo, ConfigKeys.RECIPE_TEST_FILE_REGEX)
            + "' is not a valid regex: " + f.get(ConfigKeys.RECIPE_TEST_FILE_REGEX), e);
      }
    } else {
      testFiles = base.testFiles();
    }
    final String testCommand = f.getOrDefault(ConfigKeys.RECIPE_TEST_COMMAND, base.testCommandTemplate());
    if (!testCommand.contains(RepositoryRecipe.TESTS_PLACEHOLDER)) {
      throw new IllegalArgumentException("Recipe key '" + key(repo, ConfigKeys.RECIPE_TEST_COMMAND) + "' has no "
          + RepositoryRecipe.TESTS_PLACEHOLDER + " placeholder: " + testCommand);
    }
    return new RepositoryRecipe(repo, install, testCommand, testFiles, parser, base.env(),
        duration(repo, ConfigKeys.RECIPE_INSTALL_TIMEOUT, f, base.installTimeout()),
        duration(repo, ConfigKeys.RECIPE_TEST_TIMEOUT, f, base.testTimeout()));
  }

  /** Whole seconds ("600") or ISO-8601 ("PT10M"); must be positive. */
  private static Duration duration(final String repo, final String field, final Map<String, String> f,
      final Duration base) {
    final String v = f.get(field);
    if (v == null) {
      return base;
    }
    Duration d;
    try {
      d = v.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(v.strip())) : Duration.parse(v.strip());
    } catch (final DateTimeParseException | NumberFormatException e) {
      d = null;
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException("Recipe key '" + key(repo, field)
          + "' must be a positive duration in seconds or ISO-8601 (PT10M): " + v);
    }
    return d;
  }

  private static String key(final String repo, final String field) {
    return ConfigKeys.RECIPES_PREFIX + repo + "." + field;
  }
}
