package io.r2estream.grading;

import static io.r2estream.grading.TestStatus.FAILED;
import static io.r2estream.grading.TestStatus.PASSED;
import static io.r2estream.grading.TestStatus.XFAIL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.grading.Grader.Expectation;
import io.r2estream.grading.Grader.Grade;
import io.r2estream.grading.Grader.TestGrade;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Resolution against FAIL_TO_PASS / PASS_TO_PASS lists. */
class GraderTest {

  private static final List<String> F2P = List.of("t.py::fix");
  private static final List<String> P2P = List.of("t.py::keep", "t.py::xf");

  @Test
  void everyListedTestPassingResolves() {
    final Grade g = Grader.grade(new ParsedLog(Map.of("t.py::fix", PASSED, "t.py::keep", PASSED,
        "t.py::xf", XFAIL, "t.py::other", FAILED), true), F2P, P2P);
    assertTrue(g.resolved());
    assertEquals(List.of(new TestGrade("t.py::fix", Expectation.FAIL_TO_PASS, PASSED, true),
        new TestGrade("t.py::keep", Expectation.PASS_TO_PASS, PASSED, true),
        new TestGrade("t.py::xf", Expectation.PASS_TO_PASS, XFAIL, true)), g.tests());
    assertEquals(List.of(), g.notPassing());
  }

  @Test
  void aMissingTestIsNotPassing() {
    final Grade g = Grader.grade(new ParsedLog(Map.of("t.py::fix", PASSED, "t.py::keep", PASSED), true), F2P, P2P);
    assertFalse(g.resolved());
    assertEquals(List.of(new TestGrade("t.py::xf", Expectation.PASS_TO_PASS, null, false)), g.notPassing());
  }

  @Test
  void aFailingFailToPassTestIsNotResolved() {
    final Grade g = Grader.grade(new ParsedLog(Map.of("t.py::fix", FAILED, "t.py::keep", PASSED,
        "t.py::xf", XFAIL), true), F2P, P2P);
    assertFalse(g.resolved());
    assertEquals(List.of("t.py::fix"), g.notPassing().stream().map(TestGrade::id).toList());
  }

  @Test
  void aRunWithoutSuiteEvidenceNeverResolves() {
    final Grade g = Grader.grade(new ParsedLog(Map.of("t.py::fix", PASSED, "t.py::keep", PASSED,
        "t.py::xf", XFAIL), false), F2P, P2P);
    assertFalse(g.resolved());
    assertFalse(g.suiteRan());
    assertEquals(List.of(), g.notPassing());
  }

  @Test
  void emptyListsNeverResolveAndDuplicatesCountOnce() {
    assertFalse(Grader.grade(new ParsedLog(Map.of("a", PASSED), true), List.of(), List.of()).resolved());
    final Grade g = Grader.grade(new ParsedLog(Map.of("a", PASSED), true), List.of("a"), List.of("a"));
    assertTrue(g.resolved());
    assertEquals(1, g.tests().size());
  }
}
