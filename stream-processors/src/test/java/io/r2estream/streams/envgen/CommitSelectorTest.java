package io.r2estream.streams.envgen;

import static io.r2estream.streams.envgen.CommitFixture.commit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EditStats;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.EnvCandidate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One test per SWE-GEN rule, each on a commit that passes every earlier rule, plus the selected case. */
class CommitSelectorTest {

  static final String CODE = "shapes.py";
  static final String TEST = "tests/test_shapes.py";
  static final String BEFORE = """
      import os


      def area(w, h):
          \"\"\"Area of a rectangle.\"\"\"
          return w + h


      def perimeter(w, h):
          return 2 * (w + h)


      class Shape:
          def scale(self, k):
              return k
      """;
  static final String FIXED = BEFORE.replace("return w + h", "return w * h");
  static final String TEST_BEFORE = """
      from shapes import area, perimeter


      def test_perimeter():
          assert perimeter(1, 2) == 6
      """;
  static final String TEST_AFTER = TEST_BEFORE + """


      def test_area():
          assert area(2, 3) == 6
      """;

  private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");
  private final CommitSelector selector = new CommitSelector(config(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));

  /** The configuration of every selector here: the defaults and {@code overrides}, with the parser under test. */
  SweGenConfig config(final Map<String, String> overrides) {
    return SweGenConfig.fromProperties(overrides);
  }

  /** The canonical bug fix with its test: passes every rule. */
  static CommitFixture bugFix() {
    return commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER);
  }

  @Test
  void selectsABugFixWithATestThatCallsTheFixedFunction() {
    final EnvCandidate c = assertInstanceOf(Selection.Selected.class, selector.select(bugFix().build())).candidate();

    assertEquals("acme/widgets@c0ffee", c.getTaskId());
    assertEquals("beef00", c.getParentSha());
    assertTrue(c.getCodePatch().startsWith("diff --git a/shapes.py b/shapes.py\n"), c.getCodePatch());
    assertTrue(c.getCodePatch().contains("-    return w + h\n+    return w * h\n"), c.getCodePatch());
    assertTrue(c.getTestPatch().startsWith("diff --git a/tests/test_shapes.py"), c.getTestPatch());
    assertTrue(c.getTestPatch().contains("+def test_area():\n"), c.getTestPatch());
    assertEquals(List.of(CODE), c.getModifiedFiles());
    assertEquals(List.of(TEST), c.getTestFiles());
    assertEquals(List.of(new Entity(CODE, EntityKind.FUNCTION, "area", EntityChange.MODIFIED, 4, 6)),
        c.getModifiedEntities());
    assertEquals(List.of(new Entity(TEST, EntityKind.FUNCTION, "test_area", EntityChange.ADDED, 8, 9)),
        c.getTestEntities());
    assertEquals(new EditStats(2, 1, 1, 2, 2, c.getCodePatch().length() + c.getTestPatch().length(), 0, 0, 1, 0, 1),
        c.getStats());
    assertEquals(selector.selectorVersion(), c.getSelectorVersion());
    assertEquals(NOW, c.getSelectedAt());
  }

  @Test
  void rootCommit() {
    assertRejected("root_commit", "has no parent", bugFix().root());
  }

  @Test
  void emptyCommit() {
    assertRejected("empty_commit", "touches no file", commit());
  }

  @Test
  void renamedFiles() {
    assertRejected("renamed_files", "renames old.py to shapes.py",
        bugFix().rename("old.py", "shapes.py", BEFORE));
  }

  @Test
  void diffTruncatedByThePatchCap() {
    assertRejected("diff_truncated", "patch of shapes.py was omitted", commit()
        .modify(CODE, BEFORE, FIXED, f -> f.setPatch(null).setPatchTruncated(true))
        .modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void diffTruncatedByTheContentCap() {
    assertRejected("diff_truncated", "contents of tests/test_shapes.py were omitted", commit()
        .modify(CODE, BEFORE, FIXED)
        .modify(TEST, TEST_BEFORE, TEST_AFTER, f -> f.setOldContent(null).setContentTruncated(true)));
  }

  @Test
  void noPythonFiles() {
    assertRejected("no_python_files", "touches no .py file among 1 files",
        commit().modify("README.md", "# Widgets\n", "# Widgets!\n"));
  }

  @Test
  void nonPythonFilesByExtension() {
    assertRejected("non_python_files", "src/fast.c has extension 'c', outside the allow-list",
        bugFix().modify("src/fast.c", "int x;\n", "int y;\n"));
  }

  @Test
  void nonPythonFilesForBinaries() {
    assertRejected("non_python_files", "docs/logo.dat is binary", bugFix().binary("docs/logo.dat"));
  }

  @Test
  void noNonTestFiles() {
    assertRejected("no_non_test_files", "all 1 files are test files",
        commit().modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void tooManyNonTestFiles() {
    final CommitFixture c = bugFix();
    for (int i = 1; i <= 4; i++) {
      c.modify("pkg/m" + i + ".py", "x = 1\n", "x = 2\n");
    }
    assertRejected("too_many_non_test_files", "5 non-test files, at most 4 allowed", c);
  }

  @Test
  void noHunks() {
    assertRejected("no_hunks", "0 hunks, at least 1 required", commit().add("pkg/__init__.py", ""));
  }

  @Test
  void tooManyEditedLines() {
    final String big = BEFORE + "\n\nTABLE = [\n" + "    1,\n".repeat(200) + "]\n";
    assertRejected("too_many_edited_lines", "204 added+deleted lines in non-test files, allowed 1 to 199",
        commit().modify(CODE, BEFORE, big).modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void noEditedNonTestLines() {
    assertRejected("too_many_edited_lines", "0 added+deleted lines in non-test files",
        commit().add("pkg/__init__.py", "").modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void patchTooLong() {
    final String longTest = TEST_AFTER + "\n\nCASES = [\n" + ("    '" + "x".repeat(90) + "',\n").repeat(120) + "]\n";
    final CommitRejection r = assertRejected("patch_too_long", "at most 9999 allowed",
        commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, longTest));
    assertTrue(r.getStats().getCodePatchChars() > 9999, r.getReason());
  }

  @Test
  void pythonSyntaxError() {
    assertRejected("python_syntax_error", "shapes.py (after the commit) does not parse: line 4",
        commit().modify(CODE, BEFORE, FIXED.replace("def area(w, h):", "def area(w, h:"))
            .modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void pythonTwoTestFileIsASyntaxError() {
    assertRejected("python_syntax_error", "tests/test_shapes.py (before the commit) does not parse: "
        + "line 1: Python 2 print statement", commit().modify(CODE, BEFORE, FIXED)
        .modify(TEST, "print 'legacy'\n" + TEST_BEFORE, "print 'legacy'\n" + TEST_AFTER));
  }

  @Test
  void docstringOnly() {
    final String docs = BEFORE.replace("Area of a rectangle.", "Area of a rectangle, in square units.")
        .replace("return 2 * (w + h)", "return 2 * (w + h)  # both sides");
    assertRejected("docstring_only", "changes to area, perimeter only touch docstrings, comments or formatting",
        commit().modify(CODE, BEFORE, docs).modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void entitiesDeleted() {
    final String withoutPerimeter = FIXED.replace("def perimeter(w, h):\n    return 2 * (w + h)\n\n\n", "");
    assertRejected("entities_deleted", "deletes 1 non-test entities (perimeter), at most 0 allowed",
        commit().modify(CODE, BEFORE, withoutPerimeter).modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void tooManyAddedEntities() {
    final String added = FIXED + "\n\ndef volume(w, h, d):\n    return area(w, h) * d\n"
        + "\n\ndef diagonal(w, h):\n    return (w * w + h * h) ** 0.5\n";
    assertRejected("too_many_added_entities", "adds 2 non-test entities (volume, diagonal), at most 1 allowed",
        commit().modify(CODE, BEFORE, added).modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void tooManyEditedEntities() {
    final String fiveFunctions = "def f1():\n    return 1\n\n\ndef f2():\n    return 2\n\n\ndef f3():\n    return 3\n"
        + "\n\ndef f4():\n    return 4\n\n\ndef f5():\n    return 5\n";
    assertRejected("edited_entities_out_of_range", "modifies 5 non-test entities (f1, f2, f3, f4, f5), allowed 1 to 4",
        commit().modify("funcs.py", fiveFunctions, fiveFunctions.replace("return ", "return -"))
            .modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void anEditedMethodAlsoEditsItsClass() {
    final CommitRejection r = assertRejected("no_test_match", "names or calls the modified Shape, Shape.scale",
        commit().modify(CODE, BEFORE, BEFORE.replace("return k", "return k * 2"))
            .modify(TEST, TEST_BEFORE, TEST_AFTER.replace("area", "surface")));
    assertEquals(2, r.getStats().getEditedEntities());
  }

  @Test
  void noEditedEntities() {
    final String onlyAdded = BEFORE + "\n\ndef volume(w, h, d):\n    return w * h * d\n";
    assertRejected("edited_entities_out_of_range", "modifies 0 non-test entities (none), allowed 1 to 4",
        commit().modify(CODE, BEFORE, onlyAdded).modify(TEST, TEST_BEFORE, TEST_AFTER));
  }

  @Test
  void tooManyStatementChanges() {
    final String consts = "A = 1\nB = 2\nC = 3\nD = 4\n\n\n";
    final String changed = "A = 10\nB = 20\nC = 30\nD = 40\n\n\n";
    final CommitRejection r = assertRejected("too_many_statement_changes",
        "touches 8 top-level statements, at most 6 allowed",
        commit().modify(CODE, consts + BEFORE, changed + FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER));
    assertEquals(8, r.getStats().getStatementChanges());
  }

  @Test
  void noTestEntityEdit() {
    assertRejected("no_test_entity_edit", "edits no function, class or method of a test file (0 test files",
        commit().modify(CODE, BEFORE, FIXED));
  }

  @Test
  void noTestMatch() {
    final String unrelated = TEST_BEFORE + "\n\ndef test_volume():\n    assert volume(1) == 1\n";
    assertRejected("no_test_match", "no test entity among test_volume names or calls the modified area",
        commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, unrelated));
  }

  @Test
  void aTestNamedAfterAnIssueMatches() {
    final String issue = TEST_BEFORE + "\n\ndef test_issue_42():\n    assert volume(1) == 1\n";
    assertInstanceOf(Selection.Selected.class,
        selector.select(commit().modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, issue).build()));
  }

  @Test
  void switchedOffFiltersLetADocstringOnlyCommitWithoutTestsThrough() {
    final SweGenConfig lenient = config(Map.of(SweGenConfig.DOCSTRING_FILTER_CONFIG, "false",
        SweGenConfig.TEST_ENTITY_FILTER_CONFIG, "false", SweGenConfig.TEST_MATCH_FILTER_CONFIG, "false"));
    final String docs = BEFORE.replace("Area of a rectangle.", "Area of a rectangle, in square units.");

    final Selection s = new CommitSelector(lenient).select(commit().modify(CODE, BEFORE, docs).build());

    assertInstanceOf(Selection.Selected.class, s);
    assertEquals(lenient.fingerprint(), ((Selection.Selected) s).candidate().getSelectorVersion());
  }

  @Test
  void malformedEventsThrowInsteadOfBeingRejected() {
    assertThrows(IllegalArgumentException.class, () -> selector.select(bugFix().repository(" ").build()));
    assertThrows(IllegalArgumentException.class, () -> selector.select(bugFix().sha("").build()));
    assertThrows(IllegalArgumentException.class, () -> selector.select(commit()
        .modify(CODE, BEFORE, FIXED, f -> f.setPatch("diff --git a/x b/x\n@@ -1,2 +1,2 @@\n!nonsense\n"))
        .modify(TEST, TEST_BEFORE, TEST_AFTER).build()));
  }

  @Test
  void reusedAndIncrementallyReparsedFilesDecideLikeFreshParses() {
    final String refactored = "import sys\n" + FIXED.replace("return k", "return k + 0");
    final List<CommitFixture> history = List.of(
        commit().sha("a1").modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER),
        commit().sha("a2").modify(CODE, FIXED, refactored).modify(TEST, TEST_AFTER, TEST_AFTER + "\n# done\n"),
        commit().sha("a3").modify(CODE, BEFORE, FIXED.replace("def perimeter", "def perimeter_of"))
            .modify(TEST, TEST_BEFORE, TEST_AFTER),
        commit().sha("a1").modify(CODE, BEFORE, FIXED).modify(TEST, TEST_BEFORE, TEST_AFTER));

    final CommitSelector warm = new CommitSelector(config(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));
    for (final CommitFixture c : history) {
      final CommitSelector cold = new CommitSelector(config(Map.of()), Clock.fixed(NOW, ZoneOffset.UTC));
      assertEquals(cold.select(c.build()), warm.select(c.build()), c.taskId());
    }
  }

  private CommitRejection assertRejected(final String rule, final String reasonPart, final CommitFixture fixture) {
    final Selection s = selector.select(fixture.build());
    final CommitRejection r = assertInstanceOf(Selection.Rejected.class, s, () -> "expected " + rule + ", got " + s)
        .rejection();
    assertEquals(rule, r.getRule(), r.getReason());
    assertTrue(r.getReason().contains(reasonPart), () -> "reason '" + r.getReason() + "' lacks '" + reasonPart + "'");
    assertEquals(fixture.taskId(), r.getTaskId());
    assertEquals(selector.selectorVersion(), r.getSelectorVersion());
    assertEquals(NOW, r.getRejectedAt());
    return r;
  }
}
