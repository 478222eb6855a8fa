package io.r2estream.grading;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Per-test grading of one run against a task's FAIL_TO_PASS and PASS_TO_PASS lists (SWE-bench's "FULL"
 * resolution): resolved when every listed test is passing ({@link TestStatus#passing()}), a test missing from the
 * log counts as not passing, the lists are not both empty, and the log shows the suite ran (a run cut by a time
 * limit is not a resolution even if the listed tests it reached passed). Unlike R2E-Gym's reward, tests outside
 * the lists (fail-to-fail ones included) do not matter. Used for the gold-patch check and for rewards.
 */
public final class Grader {

  private Grader() {
  }

  /** Which list a graded test came from. */
  public enum Expectation { FAIL_TO_PASS, PASS_TO_PASS }

  /** One listed test in the run: its status (null when the log does not report it) and whether it passes. */
  public record TestGrade(String id, Expectation expected, TestStatus status, boolean passing) {
  }

  /**
   * @param resolved  the run resolves the task
   * @param suiteRan  the run's log shows the suite ran
   * @param tests     every listed test, FAIL_TO_PASS first, in list order (a test in both lists counts once, as
   *                  FAIL_TO_PASS)
   */
  public record Grade(boolean resolved, boolean suiteRan, List<TestGrade> tests) {

    public Grade {
      tests = List.copyOf(tests);
    }

    /** The listed tests that are not passing. */
    public List<TestGrade> notPassing() {
      return tests.stream().filter(t -> !t.passing()).toList();
    }
  }

  public static Grade grade(final ParsedLog run, final List<String> failToPass, final List<String> passToPass) {
    final List<TestGrade> tests = new ArrayList<>();
    final Set<String> seen = new LinkedHashSet<>();
    for (final String id : failToPass) {
      if (seen.add(id)) {
        tests.add(gradeOne(run, id, Expectation.FAIL_TO_PASS));
      }
    }
    for (final String id : passToPass) {
      if (seen.add(id)) {
        tests.add(gradeOne(run, id, Expectation.PASS_TO_PASS));
      }
    }
    final boolean allPass = tests.stream().allMatch(TestGrade::passing);
    return new Grade(run.suiteRan() && !tests.isEmpty() && allPass, run.suiteRan(), tests);
  }

  private static TestGrade gradeOne(final ParsedLog run, final String id, final Expectation expected) {
    final TestStatus s = run.statuses().get(id);
    return new TestGrade(id, expected, s, s != null && s.passing());
  }
}
