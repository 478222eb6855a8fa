package io.r2estream.grading;

import static io.r2estream.grading.TestStatus.ERROR;
import static io.r2estream.grading.TestStatus.FAILED;
import static io.r2estream.grading.TestStatus.PASSED;
import static io.r2estream.grading.TestStatus.SKIPPED;
import static io.r2estream.grading.TestStatus.XFAIL;
import static io.r2estream.grading.TestStatus.XPASS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every parser on every fixture log under src/test/resources/testlogs (written by the real tools through
 * make-fixtures.sh from the suites in testlogs/project), with the exact expected status maps; then the edge
 * cases no fixture run produces (xdist lines, unbalanced brackets, hostile XML).
 */
class TestLogParsersTest {

  /** The fixture suite as pytest -rA -v reports it: every status, ids file-qualified, in report order. */
  private static Map<String, TestStatus> pytestVerboseExpected() {
    final Map<String, TestStatus> m = new LinkedHashMap<>();
    m.put("tests/test_alpha.py::test_same", PASSED);
    m.put("tests/test_alpha.py::TestC::test_m", PASSED);
    m.put("tests/test_alpha.py::TestC::test_message_says_passed", FAILED);
    m.put("tests/test_alpha.py::test_param[a b]", PASSED);
    m.put("tests/test_alpha.py::test_param[c-d]", FAILED);
    m.put("tests/test_alpha.py::test_param[x - y]", PASSED);
    m.put("tests/test_alpha.py::test_skip_mark", SKIPPED);
    m.put("tests/test_alpha.py::test_skip_inside", SKIPPED);
    m.put("tests/test_alpha.py::test_xfail", XFAIL);
    m.put("tests/test_alpha.py::test_xpass", XPASS);
    m.put("tests/test_alpha.py::test_setup_error", ERROR);
    m.put("tests/test_alpha.py::test_prints_fake_lines", FAILED);
    m.put("tests/test_beta.py::test_same", FAILED);
    m.put("tests/test_beta.py::test_teardown_error", ERROR);
    m.put("tests/test_broken.py", ERROR);
    return m;
  }

  private static String fixture(final String name) throws IOException {
    try (InputStream in = TestLogParsersTest.class.getResourceAsStream("/testlogs/" + name)) {
      if (in == null) {
        throw new IOException("missing fixture testlogs/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static ParsedLog parse(final String parser, final String fixture) throws IOException {
    return TestLogParsers.get(parser).parse(fixture(fixture));
  }

  @Test
  void pytestVerboseGivesEveryTestByFileQualifiedIdInReportOrder() throws IOException {
    final ParsedLog log = parse("pytest", "pytest-rA-v.log");
    assertEquals(pytestVerboseExpected(), log.statuses());
    assertEquals(new ArrayList<>(pytestVerboseExpected().keySet()), new ArrayList<>(log.statuses().keySet()));
    assertTrue(log.suiteRan());
  }

  @Test
  void pytestColourCodesAreStripped() throws IOException {
    assertTrue(fixture("pytest-rA-v-color.log").contains("\u001B["), "the fixture must hold ANSI codes");
    final ParsedLog log = parse("pytest", "pytest-rA-v-color.log");
    assertEquals(pytestVerboseExpected(), log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void pytestSummaryOnlyLacksLocationOnlySkipsButKeepsEverythingElse() throws IOException {
    final Map<String, TestStatus> expected = new LinkedHashMap<>(pytestVerboseExpected());
    expected.remove("tests/test_alpha.py::test_skip_mark");
    expected.remove("tests/test_alpha.py::test_skip_inside");
    final ParsedLog log = parse("pytest", "pytest-rA.log");
    assertEquals(expected, log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void pytestInterruptedCollectionRecordsTheFileAndDeniesTheSuiteRan() throws IOException {
    final ParsedLog log = parse("pytest", "pytest-collection-error.log");
    assertEquals(Map.of("tests/test_broken.py", ERROR), log.statuses());
    assertFalse(log.suiteRan());
  }

  @Test
  void pytestLogCutByATimeLimitKeepsFinishedTestsWithoutSuiteEvidence() throws IOException {
    final ParsedLog log = parse("pytest", "pytest-timeout.log");
    assertEquals(Map.of("tests_slow/test_slow.py::test_quick", PASSED), log.statuses());
    assertFalse(log.suiteRan());
  }

  @Test
  void pytestWithNothingToRunStillRan() throws IOException {
    final ParsedLog log = parse("pytest", "pytest-no-tests.log");
    assertEquals(Map.of(), log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void pytestSummaryIdsWithoutProgressLinesKeepBracketsAndDropMessages() {
    final String log = String.join("\n",
        "=== short test summary info ===",
        "FAILED t.py::test_a - AssertionError: PASSED",
        "FAILED t.py::test_p[x - y] - assert 'a - b' == 'c'",
        "FAILED t.py::test_q[a[] - unbalanced",
        "ERROR t.py - ModuleNotFoundError: No module named 'x'",
        "PASSED t.py::TestK::test_k[1-2]",
        "==== 3 failed, 1 passed, 1 error in 0.50s ====");
    final Map<String, TestStatus> expected = new LinkedHashMap<>();
    expected.put("t.py::test_a", FAILED);
    expected.put("t.py::test_p[x - y]", FAILED);
    expected.put("t.py::test_q[a[]", FAILED);
    expected.put("t.py", ERROR);
    expected.put("t.py::TestK::test_k[1-2]", PASSED);
    final ParsedLog parsed = TestLogParsers.get("pytest").parse(log);
    assertEquals(expected, parsed.statuses());
    assertTrue(parsed.suiteRan());
  }

  @Test
  void pytestXdistProgressLinesAndQuietFinalLine() {
    final String log = String.join("\n",
        "[gw0] [ 50%] PASSED tests/a.py::test_x ",
        "[gw1] [100%] FAILED tests/b.py::test_x ",
        "1 failed, 1 passed in 1.20s");
    final ParsedLog parsed = TestLogParsers.get("pytest").parse(log);
    assertEquals(Map.of("tests/a.py::test_x", PASSED, "tests/b.py::test_x", FAILED), parsed.statuses());
    assertTrue(parsed.suiteRan());
  }

  @Test
  void pytestOddInputNeverThrows() {
    final TestLogParser p = TestLogParsers.get("pytest");
    assertEquals(new ParsedLog(Map.of(), false), p.parse(null));
    assertEquals(new ParsedLog(Map.of(), false), p.parse(""));
    assertEquals(new ParsedLog(Map.of(), false), p.parse("Traceback (most recent call last):\n  boom\n"));
  }

  private static Map<String, TestStatus> unittestExpected() {
    final Map<String, TestStatus> m = new LinkedHashMap<>();
    m.put("pkg.test_mod.TestC.test_docstring", PASSED);
    m.put("pkg.test_mod.TestC.test_error", ERROR);
    m.put("pkg.test_mod.TestC.test_expected_failure", XFAIL);
    m.put("pkg.test_mod.TestC.test_fail", FAILED);
    m.put("pkg.test_mod.TestC.test_ok", PASSED);
    m.put("pkg.test_mod.TestC.test_prints", PASSED);
    m.put("pkg.test_mod.TestC.test_skipped", SKIPPED);
    m.put("pkg.test_mod.TestC.test_unexpected_success", XPASS);
    m.put("pkg.test_mod.TestOther.test_ok", PASSED);
    m.put("test_broken", ERROR);
    return m;
  }

  @Test
  void unittestPython311Form() throws IOException {
    final ParsedLog log = parse("unittest", "unittest-py311.log");
    assertEquals(unittestExpected(), log.statuses());
    assertEquals(new ArrayList<>(unittestExpected().keySet()), new ArrayList<>(log.statuses().keySet()));
    assertTrue(log.suiteRan());
  }

  @Test
  void unittestPre311FormGivesTheSameIds() throws IOException {
    assertTrue(fixture("unittest-py310.log").contains("test_ok (pkg.test_mod.TestC) ... ok"));
    final ParsedLog log = parse("unittest", "unittest-py310.log");
    assertEquals(unittestExpected(), log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void unittestCutByATimeLimit() throws IOException {
    final ParsedLog log = parse("unittest", "unittest-timeout.log");
    assertEquals(Map.of("pkg.test_slow.TestSlow.test_a_quick", PASSED), log.statuses());
    assertFalse(log.suiteRan());
  }

  @Test
  void unittestSubtestFailureAndSetUpClassErrorFromTheDetailBlocks() {
    final String log = String.join("\n",
        "setUpClass (pkg.m.TestA) ... ERROR",
        "test_sub (pkg.m.TestB.test_sub) ... ",
        "======================================================================",
        "FAIL: test_sub (pkg.m.TestB.test_sub) (i=2)",
        "----------------------------------------------------------------------",
        "Ran 1 test in 0.002s",
        "",
        "FAILED (failures=1, errors=1)");
    final ParsedLog parsed = TestLogParsers.get("unittest").parse(log);
    assertEquals(Map.of("pkg.m.TestA.setUpClass", ERROR, "pkg.m.TestB.test_sub", FAILED), parsed.statuses());
    assertTrue(parsed.suiteRan());
  }

  @Test
  void junitXunit1FileAttributeGivesPytestNodeIds() throws IOException {
    final Map<String, TestStatus> expected = new LinkedHashMap<>(pytestVerboseExpected());
    // A non-strict XPASS has no child element in JUnit XML: it reads as a pass.
    expected.put("tests/test_alpha.py::test_xpass", PASSED);
    final ParsedLog log = parse("junit-xml", "junit-pytest-xunit1.xml");
    assertEquals(expected, log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void junitXunit2WithoutFileGivesDottedIds() throws IOException {
    final Map<String, TestStatus> expected = new LinkedHashMap<>();
    expected.put("tests.test_broken", ERROR);
    expected.put("tests.test_alpha.test_same", PASSED);
    expected.put("tests.test_alpha.TestC.test_m", PASSED);
    expected.put("tests.test_alpha.TestC.test_message_says_passed", FAILED);
    expected.put("tests.test_alpha.test_param[a b]", PASSED);
    expected.put("tests.test_alpha.test_param[c-d]", FAILED);
    expected.put("tests.test_alpha.test_param[x - y]", PASSED);
    expected.put("tests.test_alpha.test_skip_mark", SKIPPED);
    expected.put("tests.test_alpha.test_skip_inside", SKIPPED);
    expected.put("tests.test_alpha.test_xfail", XFAIL);
    expected.put("tests.test_alpha.test_xpass", PASSED);
    expected.put("tests.test_alpha.test_setup_error", ERROR);
    expected.put("tests.test_alpha.test_prints_fake_lines", FAILED);
    expected.put("tests.test_beta.test_same", FAILED);
    expected.put("tests.test_beta.test_teardown_error", ERROR);
    final ParsedLog log = parse("junit-xml", "junit-pytest-xunit2.xml");
    assertEquals(expected, log.statuses());
    assertTrue(log.suiteRan());
  }

  @Test
  void junitSurefireShapeWithNoiseAroundAndTwoReports() {
    final String log = "[INFO] running\n"
        + "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<testsuite name=\"com.x.FooTest\" tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\">"
        + "<testcase name=\"ok\" classname=\"com.x.FooTest\" time=\"0.01\"/>"
        + "<testcase name=\"bad\" classname=\"com.x.FooTest\"><failure message=\"PASSED\" type=\"x\">t</failure>"
        + "</testcase>"
        + "<testcase name=\"off\" classname=\"com.x.FooTest\"><skipped/></testcase>"
        + "<testcase name=\"shaky\" classname=\"com.x.FooTest\"><flakyFailure message=\"m\" type=\"x\"/></testcase>"
        + "</testsuite>\n[INFO] next\n"
        + "<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuite name=\"com.x.BarTest\" tests=\"1\">"
        + "<testcase name=\"boom\" classname=\"com.x.BarTest\"><error message=\"e\"/></testcase></testsuite>\n";
    final ParsedLog parsed = TestLogParsers.get("junit-xml").parse(log);
    assertEquals(Map.of("com.x.FooTest.ok", PASSED, "com.x.FooTest.bad", FAILED, "com.x.FooTest.off", SKIPPED,
        "com.x.FooTest.shaky", PASSED, "com.x.BarTest.boom", ERROR), parsed.statuses());
    assertTrue(parsed.suiteRan());
  }

  @Test
  void junitTruncatedReportIsNoEvidence() throws IOException {
    final String whole = fixture("junit-pytest-xunit2.xml");
    final ParsedLog parsed = TestLogParsers.get("junit-xml").parse(whole.substring(0, whole.length() / 2));
    assertFalse(parsed.suiteRan());
    assertEquals(Map.of(), parsed.statuses());
  }

  @Test
  void junitExternalEntitiesAreRefused(@TempDir final Path dir) throws IOException {
    final Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOPSECRET");
    final String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
        + "<testsuite><testcase classname=\"c\" name=\"&x;\"/></testsuite>";
    final ParsedLog parsed = TestLogParsers.get("junit-xml").parse(xxe);
    assertFalse(parsed.suiteRan());
    assertFalse(parsed.statuses().keySet().stream().anyMatch(k -> k.contains("TOPSECRET")));
    assertEquals(Map.of(), parsed.statuses());
  }

  @Test
  void junitRootMustBeATestSuite() {
    assertFalse(TestLogParsers.get("junit-xml").parse("<html><body/></html>").suiteRan());
    assertFalse(TestLogParsers.get("junit-xml").parse("no xml at all").suiteRan());
  }

  @Test
  void registryNamesItsParsersAndRejectsUnknownNamesWithTheList() {
    assertEquals(List.of("junit-xml", "pytest", "unittest"), new ArrayList<>(TestLogParsers.names()));
    for (final String name : TestLogParsers.names()) {
      assertEquals(name, TestLogParsers.get(name).name());
    }
    assertSame(TestLogParsers.get("pytest"), TestLogParsers.get("pytest"));
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TestLogParsers.get("nose"));
    assertEquals("Unknown test-log parser 'nose'; known parsers: junit-xml, pytest, unittest", e.getMessage());
  }
}
