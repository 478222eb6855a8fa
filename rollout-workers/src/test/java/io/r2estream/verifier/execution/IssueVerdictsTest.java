package io.r2estream.verifier.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2estream.testgen.TestGenRunner;
import org.junit.jupiter.api.Test;

/** Counting verdict lines, and cutting a testing agent's diff down to test_issue.py. */
class IssueVerdictsTest {

  @Test
  void eachLineCountsOnceForItsVerdictAndOtherTextAboutResolutionDoesNot() {
    final IssueVerdicts v = IssueVerdicts.of("""
        Test Case 1: Issue resolved
        Test Case 2: Issue reproduced
        Test Case 3: Other issues ValueError('resolved?')
        the ticket was resolved upstream
        Test Case 4: Issue resolved
        """);
    assertEquals(new IssueVerdicts(1, 2, 1), v);
    assertEquals(new IssueVerdicts(0, 0, 0), IssueVerdicts.of(""));
  }

  @Test
  void onlyTheRootTestIssuePyIsKeptFromTheAgentsDiff() {
    final String issue = TestIssueScripts.newFileDiff("test_issue.py", "print('Test Case 1: Issue reproduced')\n");
    final String diff = TestIssueScripts.newFileDiff("reproduce_issue.py", "x = 1\n")
        + "diff --git a/textkit/wrap.py b/textkit/wrap.py\n--- a/textkit/wrap.py\n+++ b/textkit/wrap.py\n"
        + "@@ -1 +1 @@\n-a\n+b\n" + issue + TestIssueScripts.newFileDiff("tests/test_issue.py", "y = 2\n");
    assertEquals(issue, TestGenRunner.testFileDiff(diff));
    assertEquals("", TestGenRunner.testFileDiff(""));
  }

  @Test
  void aReproductionRunScoresOnlyWhenItRan() {
    final IssueVerdicts v = new IssueVerdicts(1, 4, 0);
    assertEquals(4.0, new ReproductionRun("t", ReproductionRun.Outcome.SCORED, v, 0, "", "", "").score());
    assertEquals(0.0, new ReproductionRun("t", ReproductionRun.Outcome.INFRA_ERROR, v, -1, "TIMEOUT", "", "")
        .score());
  }
}
