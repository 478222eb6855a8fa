package io.r2estream.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-repository overrides from r2e.recipes.* keys, fallbacks to the default recipe, and their validation. */
class RecipeRegistryTest {

  @Test
  void overridesOneRepositoryFieldByFieldAndLeavesTheRestDefault() {
    final RecipeRegistry reg = RecipeRegistry.fromConfig(Map.of(
        "r2e.recipes.pallets/flask.test-command", "python -m unittest -v {tests}",
        "r2e.recipes.pallets/flask.log-parser", "unittest",
        "r2e.recipes.pallets/flask.test-timeout", "90",
        "r2e.recipes.my.org/lib.v2.install-timeout", "PT45M",
        "r2e.recipes.my.org/lib.v2.install", "pip install -e .\n\necho done\n",
        "r2e.recipes.my.org/lib.v2.test-file-regex", "checks/.*\\.py",
        "r2e.kafka.bootstrap-servers", "ignored:9092"));
    final RepositoryRecipe def = DefaultRecipes.python();
    final RepositoryRecipe flask = reg.forRepository("pallets/flask");
    assertEquals(new RepositoryRecipe("pallets/flask", def.installCommands(), "python -m unittest -v {tests}",
        def.testFiles(), "unittest", def.env(), def.installTimeout(), Duration.ofSeconds(90)), flask);
    final RepositoryRecipe lib = reg.forRepository("my.org/lib.v2");
    assertEquals(List.of("pip install -e .", "echo done"), lib.installCommands());
    assertEquals(Duration.ofMinutes(45), lib.installTimeout());
    assertEquals(def.testTimeout(), lib.testTimeout());
    assertEquals(def.testCommandTemplate(), lib.testCommandTemplate());
    assertTrue(lib.isTestFile("checks/a.py"));
    assertFalse(lib.isTestFile("tests/test_a.py"), "a regex replaces R2E-Gym's rule");
    assertSame(def, reg.forRepository("someone/else"));
    assertEquals(Set.of("my.org/lib.v2", "pallets/flask"), reg.overridden());
  }

  @Test
  void defaultRecipeUsesR2eGymsTestFileRule() {
    final RepositoryRecipe r = RecipeRegistry.defaults().forRepository("any/repo");
    assertTrue(r.isTestFile("pkg/tests/helpers.py"));
    assertTrue(r.isTestFile("pkg/util_test.py"));
    assertTrue(r.isTestFile("test_x.py"));
    assertTrue(r.isTestFile("Test/x.py"));
    assertFalse(r.isTestFile("pkg/testing.py"));
    assertFalse(r.isTestFile("pkg/contest.py"));
    assertEquals("pytest", r.logParser());
  }

  @Test
  void testCommandQuotesEveryFileForTheShell() {
    assertEquals("python -m pytest -rA -v -p no:cacheprovider --continue-on-collection-errors "
        + "'tests/test_a.py' 'tests/it'\\''s test.py'",
        DefaultRecipes.python().testCommand(List.of("tests/test_a.py", "tests/it's test.py")));
  }

  @Test
  void installScriptIsBashWithTheCommandsInOrder() {
    final String script = RecipeRegistry.fromConfig(Map.of("r2e.recipes.a/b.install", "echo one\necho two"))
        .forRepository("a/b").installScript();
    assertEquals("#!/bin/bash\n# Install script of recipe a/b (generated).\nset -u\necho one\necho two\n", script);
  }

  @Test
  void invalidOverridesFailNamingKeyAndValue() {
    assertEquals("Recipe key 'r2e.recipes.a/b.log-parser' names unknown parser 'nose'; known parsers: "
        + "junit-xml, pytest, unittest", message(Map.of("r2e.recipes.a/b.log-parser", "nose")));
    assertEquals("Recipe key 'r2e.recipes.a/b.test-command' has no {tests} placeholder: pytest",
        message(Map.of("r2e.recipes.a/b.test-command", "pytest")));
    assertEquals("Recipe key 'r2e.recipes.a/b.test-timeout' must be a positive duration in seconds or ISO-8601 "
        + "(PT10M): soon", message(Map.of("r2e.recipes.a/b.test-timeout", "soon")));
    assertEquals("Recipe key 'r2e.recipes.a/b.install-timeout' must be a positive duration in seconds or ISO-8601 "
        + "(PT10M): 0", message(Map.of("r2e.recipes.a/b.install-timeout", "0")));
    assertEquals("Recipe key 'r2e.recipes.a/b.test-file-regex' is not a valid regex: tests/[",
        message(Map.of("r2e.recipes.a/b.test-file-regex", "tests/[")));
    assertEquals("Recipe key 'r2e.recipes.a/b.colour' does not end with a recipe field; fields: install, "
        + "test-command, test-file-regex, log-parser, install-timeout, test-timeout",
        message(Map.of("r2e.recipes.a/b.colour", "red")));
    assertEquals("Recipe key 'r2e.recipes..install' names no repository",
        message(Map.of("r2e.recipes..install", "x")));
  }

  private static String message(final Map<String, String> config) {
    return assertThrows(IllegalArgumentException.class, () -> RecipeRegistry.fromConfig(config)).getMessage();
  }
}
