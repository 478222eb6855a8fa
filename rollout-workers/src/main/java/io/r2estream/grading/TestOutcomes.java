package io.r2estream.grading;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Per-test comparison of N runs at the parent commit with N runs at the commit (SWE-GEN's dual execution).
 *
 * <p>A test is <b>flaky</b> when its status is not the same in every run of one state. Runs without evidence that
 * the suite ran (a time limit cut them) only contribute the tests they did report: their missing tests are not
 * observations. Flaky tests are listed and excluded from every other list.
 * For the others, the state's status is the common one, or absent (not in any complete run: the test file did
 * not exist or did not collect there); absent counts as not passing, like FAILED and ERROR.
 * <ul>
 *   <li>FAIL_TO_PASS: not passing at the parent, passing at the commit;</li>
 *   <li>PASS_TO_PASS: passing at both;</li>
 *   <li>pass-to-fail: passing at the parent, not passing (or absent) at the commit.</li>
 * </ul>
 * "Passing" is {@link TestStatus#passing()} (PASSED, XFAIL). Lists follow the order the commit runs reported the
 * tests in, then the parent's. Unlike R2E-Gym, ids keep their {@code [param]} part and their file.
 *
 * @param failToPass      tests the commit fixes
 * @param passToPass      tests passing before and after
 * @param passToFail      tests the commit breaks
 * @param flaky           tests whose status varied between runs of one state
 * @param commitStatuses  the commit's status of every non-flaky test it reports (EnvValidation.expected_output)
 * @param parentStatuses  the parent's status of every non-flaky test it reports
 */
public record TestOutcomes(List<String> failToPass, List<String> passToPass, List<String> passToFail,
    List<String> flaky, Map<String, TestStatus> commitStatuses, Map<String, TestStatus> parentStatuses) {

  public TestOutcomes {
    failToPass = List.copyOf(failToPass);
    passToPass = List.copyOf(passToPass);
    passToFail = List.copyOf(passToFail);
    flaky = List.copyOf(flaky);
    commitStatuses = Collections.unmodifiableMap(new LinkedHashMap<>(commitStatuses));
    parentStatuses = Collections.unmodifiableMap(new LinkedHashMap<>(parentStatuses));
  }

  /** Compares the parent's runs with the commit's; either list may be empty (then every test is absent there). */
  public static TestOutcomes compare(final List<TestRunOutcome> parentRuns, final List<TestRunOutcome> commitRuns) {
    final Set<String> ids = new LinkedHashSet<>();
    commitRuns.forEach(r -> ids.addAll(r.log().statuses().keySet()));
    parentRuns.forEach(r -> ids.addAll(r.log().statuses().keySet()));
    final List<String> f2p = new ArrayList<>();
    final List<String> p2p = new ArrayList<>();
    final List<String> p2f = new ArrayList<>();
    final List<String> flaky = new ArrayList<>();
    final Map<String, TestStatus> atCommit = new LinkedHashMap<>();
    final Map<String, TestStatus> atParent = new LinkedHashMap<>();
    for (final String id : ids) {
      final Consensus parent = Consensus.of(parentRuns, id);
      final Consensus commit = Consensus.of(commitRuns, id);
      if (parent.varies() || commit.varies()) {
        flaky.add(id);
        continue;
      }
      if (commit.status() != null) {
        atCommit.put(id, commit.status());
      }
      if (parent.status() != null) {
        atParent.put(id, parent.status());
      }
      final boolean before = parent.passing();
      final boolean after = commit.passing();
      if (!before && after) {
        f2p.add(id);
      } else if (before && after) {
        p2p.add(id);
      } else if (before) {
        p2f.add(id);
      }
    }
    return new TestOutcomes(f2p, p2p, p2f, flaky, atCommit, atParent);
  }

  /** One state's view of one test: its common status (null = absent) or that it varied between runs. */
  private record Consensus(TestStatus status, boolean varies) {

    static Consensus of(final List<TestRunOutcome> runs, final String id) {
      boolean seen = false;
      TestStatus common = null;
      for (final TestRunOutcome run : runs) {
        final TestStatus s = run.log().statuses().get(id);
        if (s == null && !run.log().suiteRan()) {
          continue;
        }
        if (seen && !Objects.equals(common, s)) {
          return new Consensus(null, true);
        }
        seen = true;
        common = s;
      }
      return new Consensus(common, false);
    }

    boolean passing() {
      return status != null && status.passing();
    }
  }
}
