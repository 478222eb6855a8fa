package io.r2estream.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Same dependencies, same fingerprint; a manifest or recipe change, a different one. */
class DependencyFingerprintTest {

  /** A commit's tree as path -> content. */
  private static Map<String, String> baseTree() {
    final Map<String, String> t = new HashMap<>();
    t.put("setup.py", "from setuptools import setup\nsetup(name='p')\n");
    t.put("requirements.txt", "attrs==23.1\n");
    t.put("requirements/dev.txt", "pytest\n");
    t.put("tox.ini", "[tox]\nenvlist = py311\n");
    t.put("docs/requirements.txt", "sphinx\n");
    t.put("p/__init__.py", "X = 1\n");
    t.put("tests/test_p.py", "def test(): pass\n");
    return t;
  }

  private static DependencyFingerprint fp(final RepositoryRecipe recipe, final Map<String, String> tree) {
    final List<String> files = new ArrayList<>(tree.keySet());
    return DependencyFingerprint.compute(recipe, files, p -> tree.get(p).getBytes(StandardCharsets.UTF_8));
  }

  private static DependencyFingerprint fp(final Map<String, String> tree) {
    return fp(DefaultRecipes.python(), tree);
  }

  @Test
  void codeTestsToxAndNestedManifestsDoNotChangeIt() {
    final DependencyFingerprint before = fp(baseTree());
    final Map<String, String> after = baseTree();
    after.put("p/__init__.py", "X = 2\n");
    after.put("p/new.py", "Y = 1\n");
    after.put("tests/test_p.py", "def test(): assert True\n");
    after.put("tox.ini", "[tox]\nenvlist = py311,py312\n");
    after.put("docs/requirements.txt", "sphinx>=7\n");
    assertEquals(before, fp(after));
    assertEquals(List.of("requirements.txt", "requirements/dev.txt", "setup.py"), before.manifests());
    assertEquals(64, before.sha256().length());
    assertEquals(before.sha256().substring(0, 16), before.shortHex());
  }

  @Test
  void aRequirementsChangeChangesIt() {
    final Map<String, String> after = baseTree();
    after.put("requirements.txt", "attrs==23.2\n");
    assertNotEquals(fp(baseTree()).sha256(), fp(after).sha256());
    final Map<String, String> nested = baseTree();
    nested.put("requirements/dev.txt", "pytest>=8\n");
    assertNotEquals(fp(baseTree()).sha256(), fp(nested).sha256());
  }

  @Test
  void anAddedManifestOrARecipeChangeChangesIt() {
    final Map<String, String> added = baseTree();
    added.put("pyproject.toml", "[project]\nname='p'\n");
    assertNotEquals(fp(baseTree()).sha256(), fp(added).sha256());
    final RepositoryRecipe other = RecipeRegistry.fromConfig(Map.of("r2e.recipes.a/b.install", "pip install ."))
        .forRepository("a/b");
    assertNotEquals(fp(baseTree()).sha256(), fp(other, baseTree()).sha256());
  }

  @Test
  void contentMovedBetweenManifestsChangesIt() {
    // Framing: the same bytes split differently across files must not collide.
    final Map<String, String> a = new HashMap<>(Map.of("requirements.txt", "ab", "setup.cfg", "c"));
    final Map<String, String> b = new HashMap<>(Map.of("requirements.txt", "a", "setup.cfg", "bc"));
    assertNotEquals(fp(a).sha256(), fp(b).sha256());
  }

  @Test
  void manifestRule() {
    for (final String p : List.of("setup.py", "setup.cfg", "pyproject.toml", "requirements.txt",
        "requirements-dev.txt", "requirements_test.txt", "requirements/base.txt", "Pipfile", "Pipfile.lock",
        "poetry.lock", "environment.yml", "environment.yaml")) {
      assertTrue(DependencyFingerprint.isManifest(p), p);
    }
    for (final String p : List.of("tox.ini", "docs/requirements.txt", "pkg/setup.py", "requirements/sub/x.txt",
        "requirements.in", "README.md")) {
      assertFalse(DependencyFingerprint.isManifest(p), p);
    }
  }

  @Test
  void aListedManifestWithoutContentFails() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DependencyFingerprint.compute(DefaultRecipes.python(), List.of("setup.py"), p -> null));
    assertEquals("Dependency manifest 'setup.py' is in the file list but has no content", e.getMessage());
  }
}
