package io.r2estream.backtranslation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.EnvValidation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The prompt's content and order (reference section 2.8) and the helpers that cut and extract its parts. */
class BackTranslationPromptTest {

  private static final String COMBINED = String.join("\n",
      "@pytest.mark.slow",
      "def test_combined_units():",
      "    d = parse_duration(\"1h30m\")",
      "    assert d.total_seconds() == 5400");
  private static final String MINUTES = String.join("\n",
      "    def test_minutes_and_seconds(self):",
      "        assert parse_duration(\"1m5s\").total_seconds() == 65",
      "        assert parse_duration(\"0m5s\").total_seconds() == 5");

  private final EnvValidation validation = Validations.better("acme/timekit@c0ffee");
  private final String prompt = BackTranslationPrompt.build(validation);

  @Test
  void sectionsComeInR2eGymOrder() {
    final List<String> inOrder = List.of("Hash: c0ffee", Validations.MESSAGE.strip(),
        "+        total += value * SECONDS[unit]", "+def test_combined_units():",
        "2 failed, 2 passed in 0.03s", "6 passed in 0.02s", "- tests/test_durations.py::test_combined_units",
        COMBINED, "E       assert 1800.0 == 5400", "[ISSUE]", "Writing rules", "between [ISSUE] and [/ISSUE]");
    int at = -1;
    for (final String part : inOrder) {
      final int next = prompt.indexOf(part, at + 1);
      assertTrue(next > at, "'" + part + "' missing or out of order in:\n" + prompt);
      at = next;
    }
    assertFalse(prompt.contains("{{"), "a placeholder was left unfilled");
  }

  @Test
  void testOutputsKeepTheirLastThousandCharactersMarkedTruncated() {
    final String oldTail = Validations.OLD_LOG.substring(Validations.OLD_LOG.length() - 1000);

    assertTrue(prompt.contains("```\n" + BackTranslationPrompt.TRUNCATED + "\n" + oldTail + "\n```"));
    final int kept = count(oldTail, "PADDING-LINE");
    assertTrue(kept < count(Validations.OLD_LOG, "PADDING-LINE"), "fixture: the cut is real");
    assertEquals(kept, count(prompt, "PADDING-LINE"), "the start of a long output is dropped");
    assertTrue(prompt.contains("```\n" + Validations.NEW_LOG + "\n```"), "short output is kept whole, unmarked");
    assertEquals(1, prompt.split("\\[TRUNCATED]", -1).length - 1);
  }

  private static int count(final String text, final String part) {
    return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
  }

  @Test
  void listsEveryFailToPassTest() {
    for (final String t : Validations.F2P) {
      assertTrue(prompt.contains("\n- " + t + "\n") || prompt.contains("\n- " + t + "\n\n"), t);
    }
  }

  @Test
  void showsTheSourceOfAtMostThreeTestsFromThePatch() {
    assertTrue(prompt.contains("```python\n" + COMBINED + "\n```"), prompt);
    assertTrue(prompt.contains("```python\n" + MINUTES + "\n```"), prompt);
    assertTrue(prompt.contains("    def test_days(self):\n        assert parse_duration(\"1d1h\")"), prompt);
    assertFalse(prompt.contains("```python\n    def test_partial"), "the fourth test is over the limit of three");
    final String section = prompt.substring(prompt.indexOf("## Source of some of these tests"),
        prompt.indexOf("## How these tests failed"));
    assertEquals(3, count(section, "```python\n"), section);
  }

  @Test
  void showsTheParentFailureBlocksOfThoseTests() {
    final String combinedBlock = Validations.OLD_LOG.substring(
        Validations.OLD_LOG.indexOf("_____________________________ test_combined_units"),
        Validations.OLD_LOG.indexOf("_____________________ TestEdge")).stripTrailing();
    final String edgeBlock = Validations.OLD_LOG.substring(
        Validations.OLD_LOG.indexOf("_____________________ TestEdge"),
        Validations.OLD_LOG.indexOf("=========================== short test summary")).stripTrailing();

    assertTrue(prompt.contains("```\n" + combinedBlock + "\n```"), prompt);
    assertTrue(prompt.contains("```\n" + edgeBlock + "\n```"), prompt);
  }

  @Test
  void longFailureBlocksKeepTheirFirstAndLastPart() {
    final String block = "_____ test_big _____\n" + "A".repeat(5000) + "B".repeat(5000);

    final String cut = PytestFailures.block(block, TestId.parse("t.py::test_big")).orElseThrow();

    assertTrue(cut.startsWith("_____ test_big _____\n" + "A".repeat(3500 - 21)));
    assertTrue(cut.endsWith("B".repeat(3500)));
    assertTrue(cut.contains("[... " + (block.length() - 7000) + " characters cut ...]"));
    assertEquals(7000 + ("\n[... " + (block.length() - 7000) + " characters cut ...]\n").length(), cut.length());
    assertEquals("x".repeat(8000), PytestFailures.cut("x".repeat(8000)), "8000 characters are not over the limit");
  }

  @Test
  void includesEveryExampleIssueTaggedAndShuffledPerTask() {
    final List<String> examples = BackTranslationPrompt.exampleIssues();

    assertEquals(4, examples.size());
    for (final String e : examples) {
      assertTrue(prompt.contains("[ISSUE]\n" + e + "\n[/ISSUE]"), e);
    }
    assertEquals(BackTranslationPrompt.examples("a@1"), BackTranslationPrompt.examples("a@1"));
    final boolean someOrderDiffers = List.of("b@2", "c@3", "d@4", "e@5", "f@6").stream()
        .map(BackTranslationPrompt::examples).distinct().count() > 1;
    assertTrue(someOrderDiffers, "the examples should be shuffled per task");
  }

  @Test
  void carriesTheWritingRules() {
    for (final String rule : List.of("Be brief", "the input", "most telling failing test",
        "describe how it differs", "concrete names and values", "Do not mention test files",
        "Do not describe, hint at or suggest the fix", "without assert", "5 or 6 lines", "triple-backtick",
        "a one-line title", "the expected behavior", "the actual behavior")) {
      assertTrue(prompt.contains(rule), rule);
    }
  }

  @Test
  void editedTestsAreShownAsFarAsTheirHunkGoes() {
    final Optional<String> partial = PatchFunctions.of(Validations.TEST_PATCH)
        .source(TestId.parse("tests/test_durations.py::TestOld::test_partial"));

    assertEquals(Optional.of(String.join("\n",
        "    def test_partial(self):",
        "        assert parse_duration(\"1s\").seconds == 1",
        "        assert parse_duration(\"1s1s\").seconds == 2",
        "        x = 5",
        "        ...")), partial);
    assertEquals(Optional.empty(), PatchFunctions.of(Validations.TEST_PATCH)
        .source(TestId.parse("tests/test_other.py::test_combined_units")), "another file's test is not this one");
  }

  @Test
  void testIdsSplitIntoFileClassAndFunction() {
    assertEquals(new TestId("tests/t.py", "TestA", "test_b"), TestId.parse("tests/t.py::TestA::test_b[1-2]"));
    assertEquals(new TestId("", "TestA", "test_b"), TestId.parse("TestA.test_b"));
    assertEquals(new TestId("t.py", "", "test_c"), TestId.parse("t.py::test_c[a::b]"));
    assertEquals("TestA.test_b", TestId.parse("t.py::TestA::test_b").qualifiedName());
  }

  @Test
  void missingPiecesAreSaidNotLeftBlank() {
    final EnvValidation bare = EnvValidation.newBuilder(validation).setCandidate(null).setOldRuns(List.of())
        .setNewRuns(List.of()).setFailToPass(List.of()).build();

    final String p = BackTranslationPrompt.build(bare);

    assertTrue(p.contains("(no message)"));
    assertTrue(p.contains("(no output recorded)"));
    assertTrue(p.contains("(none listed)"));
    assertTrue(p.contains("(not available"));
    assertTrue(p.contains("(no failure details"));
  }
}
