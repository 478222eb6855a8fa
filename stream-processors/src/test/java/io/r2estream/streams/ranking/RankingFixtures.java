package io.r2estream.streams.ranking;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import java.time.Instant;
import java.util.List;

/** Input records of the ranking topology for tests. */
final class RankingFixtures {

  static final String TASK = "acme/widgets@c0ffee";

  private RankingFixtures() {
  }

  /** The candidate id of sample {@code name} of the task (rollout ids look like this). */
  static String id(final String task, final String name) {
    return task + "/run-1/" + name;
  }

  static CandidatePatch candidate(final String task, final String name, final Double reward, final long at) {
    return CandidatePatch.newBuilder().setCandidateId(id(task, name)).setTaskId(task).setRunId("run-1")
        .setSample(name.hashCode() & 0xff).setModel("m").setPatch("diff --git a/" + name + ".py b/" + name + ".py\n")
        .setExitReason("agent").setCreatedAt(Instant.ofEpochMilli(at)).setReward(reward).build();
  }

  /** A test score whose reproduction scores sum to {@code reproduction} (split over two generated tests). */
  static TestScore test(final String task, final String name, final int regression, final double reproduction,
      final long at) {
    return TestScore.newBuilder().setCandidateId(id(task, name)).setTaskId(task).setStatus(GradeStatus.PASS)
        .setRegressionPassed(regression).setRegressionTotal(20)
        .setReproductionScores(List.of(reproduction / 2, reproduction / 2)).setTestScore(regression + reproduction)
        .setTestResults(java.util.Map.of("tests/test_a.py::test_a", "PASSED"))
        .setScoredAt(Instant.ofEpochMilli(at)).build();
  }

  static JudgeScore judge(final String task, final String name, final Double pYes, final long at) {
    return JudgeScore.newBuilder().setCandidateId(id(task, name)).setTaskId(task).setModel("judge")
        .setPYes(pYes).setStatus(pYes == null ? GradeStatus.ERROR : GradeStatus.PASS)
        .setScoredAt(Instant.ofEpochMilli(at)).build();
  }
}
