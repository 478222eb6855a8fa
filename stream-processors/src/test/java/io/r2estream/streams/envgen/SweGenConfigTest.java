package io.r2estream.streams.envgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweGenConfigTest {

  @Test
  void defaultsAreR2eGymsThresholds() {
    final SweGenConfig d = SweGenConfig.defaults();

    assertEquals(4, d.maxNonTestFiles());
    assertEquals(1, d.minHunks());
    assertEquals(199, d.maxNonTestEditedLines());
    assertEquals(9999, d.maxPythonPatchChars());
    assertEquals(0, d.maxDeletedEntities());
    assertEquals(1, d.maxAddedEntities());
    assertEquals(1, d.minEditedEntities());
    assertEquals(4, d.maxEditedEntities());
    assertEquals(6, d.maxStatementChanges());
    assertEquals(25, d.allowedExtensions().size());
    assertTrue(d.allowedExtensions().containsAll(Set.of("py", "rst", "Makefile", "gitignore", "in", "css")));
    assertTrue(d.docstringFilter() && d.bugEditFilter() && d.testEntityFilter() && d.testMatchFilter());
    assertEquals(d, SweGenConfig.fromProperties(Map.of("unrelated.key", "x")));
  }

  @Test
  void propertiesOverrideTheDefaults() {
    final SweGenConfig c = SweGenConfig.fromProperties(Map.of(
        SweGenConfig.MAX_NON_TEST_FILES_CONFIG, "2",
        SweGenConfig.MAX_STATEMENT_CHANGES_CONFIG, 10,
        SweGenConfig.ALLOWED_EXTENSIONS_CONFIG, "py, .md,txt",
        SweGenConfig.TEST_MATCH_FILTER_CONFIG, "FALSE"));

    assertEquals(2, c.maxNonTestFiles());
    assertEquals(10, c.maxStatementChanges());
    assertEquals(Set.of("py", "md", "txt"), c.allowedExtensions());
    assertFalse(c.testMatchFilter());
    assertEquals(c.toProperties().keySet(), Set.copyOf(SweGenConfig.keys()));
  }

  @Test
  void reportsEveryInvalidValueAtOnce() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SweGenConfig.fromProperties(Map.of(
            SweGenConfig.MAX_NON_TEST_FILES_CONFIG, "many",
            SweGenConfig.DOCSTRING_FILTER_CONFIG, "yes")));
    assertEquals("invalid SWE-GEN configuration: r2e.swegen.max.non.test.files='many' is not an integer; "
        + "r2e.swegen.docstring.filter='yes' is not true or false", e.getMessage());

    final IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
        () -> SweGenConfig.fromProperties(Map.of(SweGenConfig.MIN_EDITED_ENTITIES_CONFIG, "5",
            SweGenConfig.ALLOWED_EXTENSIONS_CONFIG, "md")));
    assertEquals("invalid SWE-GEN configuration: r2e.swegen.max.edited.entities=4 is below "
        + "r2e.swegen.min.edited.entities=5; r2e.swegen.allowed.extensions=[md] must contain py", range.getMessage());
  }

  @Test
  void fingerprintIsStableAndFollowsEveryValue() {
    final String d = SweGenConfig.defaults().fingerprint();

    final List<String> reversed = new ArrayList<>(SweGenConfig.R2E_EXTENSIONS);
    Collections.reverse(reversed);
    assertEquals(d, SweGenConfig.fromProperties(Map.of(SweGenConfig.ALLOWED_EXTENSIONS_CONFIG,
        String.join(",", reversed))).fingerprint(), "order of extensions is irrelevant");
    assertTrue(d.matches("swegen-[0-9a-f]{12}"), d);
    for (final String key : SweGenConfig.keys()) {
      final String value = switch (key) {
        case SweGenConfig.ALLOWED_EXTENSIONS_CONFIG -> "py";
        case SweGenConfig.DOCSTRING_FILTER_CONFIG, SweGenConfig.BUG_EDIT_FILTER_CONFIG,
            SweGenConfig.TEST_ENTITY_FILTER_CONFIG, SweGenConfig.TEST_MATCH_FILTER_CONFIG,
            SweGenConfig.DECORATORS_IN_ENTITY_CONFIG -> "false";
        case SweGenConfig.MIN_EDITED_ENTITIES_CONFIG -> "2";
        case SweGenConfig.PYTHON_PARSER_CONFIG -> "tree-sitter";
        default -> "7";
      };
      assertNotEquals(d, SweGenConfig.fromProperties(Map.of(key, value)).fingerprint(), key);
    }
  }
}
