package io.r2estream.backtranslation;

import io.r2estream.avro.EditStats;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TestRun;
import io.r2estream.avro.ValidationStatus;
import java.time.Instant;
import java.util.List;

/** Validation records of a small Python project whose commit makes {@code parse_duration} add up units. */
final class Validations {

  static final String MESSAGE = "Add up every unit in parse_duration\n\nCombined units such as 1h30m kept only the last.";
  static final String CODE_PATCH = """
      diff --git a/timekit/durations.py b/timekit/durations.py
      --- a/timekit/durations.py
      +++ b/timekit/durations.py
      @@ -10,3 +10,3 @@ def parse_duration(text):
           for value, unit in UNIT.findall(text):
      -        total = value * SECONDS[unit]
      +        total += value * SECONDS[unit]
           return timedelta(seconds=total)
      """;
  static final String TEST_PATCH = """
      diff --git a/tests/test_durations.py b/tests/test_durations.py
      --- a/tests/test_durations.py
      +++ b/tests/test_durations.py
      @@ -1,6 +1,20 @@
       import pytest
       from timekit import parse_duration
      \s
      \s
       def test_single_unit():
           assert parse_duration("2h").seconds == 7200
      +
      +
      +@pytest.mark.slow
      +def test_combined_units():
      +    d = parse_duration("1h30m")
      +    assert d.total_seconds() == 5400
      +
      +
      +class TestEdge:
      +    def test_minutes_and_seconds(self):
      +        assert parse_duration("1m5s").total_seconds() == 65
      +        assert parse_duration("0m5s").total_seconds() == 5
      +
      +    def test_days(self):
      +        assert parse_duration("1d1h").total_seconds() == 90000
      @@ -60,4 +74,5 @@ class TestOld:
           def test_partial(self):
      -        assert parse_duration("1s").seconds == 2
      +        assert parse_duration("1s").seconds == 1
      +        assert parse_duration("1s1s").seconds == 2
               x = 5
      @@ -90,2 +105,2 @@ class TestOld:
      -    y = 1
      +    y = 2
      """;
  static final String PADDING = "PADDING-LINE-THAT-MUST-BE-CUT\n".repeat(60);
  static final String OLD_LOG = PADDING + """
      =================================== FAILURES ===================================
      _____________________________ test_combined_units ______________________________

          def test_combined_units():
              d = parse_duration("1h30m")
      >       assert d.total_seconds() == 5400
      E       assert 1800.0 == 5400

      tests/test_durations.py:10: AssertionError
      _____________________ TestEdge.test_minutes_and_seconds ________________________

          def test_minutes_and_seconds(self):
      >       assert parse_duration("1m5s").total_seconds() == 65
      E       assert 5.0 == 65

      tests/test_durations.py:15: AssertionError
      =========================== short test summary info ============================
      FAILED tests/test_durations.py::test_combined_units - assert 1800.0 == 5400
      FAILED tests/test_durations.py::TestEdge::test_minutes_and_seconds - assert 5.0 == 65
      ========================= 2 failed, 2 passed in 0.03s ==========================
      """;
  static final String NEW_LOG = """
      tests/test_durations.py ......                                           [100%]
      ============================== 6 passed in 0.02s ===============================
      """;
  static final List<String> F2P = List.of("tests/test_durations.py::test_combined_units",
      "tests/test_durations.py::TestEdge::test_minutes_and_seconds",
      "tests/test_durations.py::TestEdge::test_days",
      "tests/test_durations.py::TestOld::test_partial");

  private Validations() {
  }

  static EnvValidation better(final String taskId) {
    return validation(taskId, ValidationStatus.NEW_COMMIT_BETTER, MESSAGE);
  }

  static EnvValidation validation(final String taskId, final ValidationStatus status, final String message) {
    final Instant at = Instant.parse("2025-01-02T03:04:05Z");
    final EnvCandidate candidate = EnvCandidate.newBuilder().setTaskId(taskId).setRepository("acme/timekit")
        .setCommitSha("c0ffee").setParentSha("decade").setCommitMessage(message).setCommitTime(at)
        .setCodePatch(CODE_PATCH).setTestPatch(TEST_PATCH).setStats(EditStats.newBuilder().build())
        .setSelectedAt(at).build();
    return EnvValidation.newBuilder().setTaskId(taskId).setRepository("acme/timekit").setCommitSha("c0ffee")
        .setStatus(status).setFailToPass(F2P).setCandidate(candidate)
        .setOldRuns(List.of(run("parent#1", 1, OLD_LOG))).setNewRuns(List.of(run("commit#1", 0, NEW_LOG)))
        .setValidatedAt(at).build();
  }

  private static TestRun run(final String label, final int exit, final String log) {
    return TestRun.newBuilder().setExitCode(exit).setDurationMs(30).setLogTail(log).setLabel(label).setSuiteRan(true)
        .build();
  }
}
