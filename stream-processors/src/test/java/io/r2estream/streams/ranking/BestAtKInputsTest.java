package io.r2estream.streams.ranking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.Trajectory;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The join of the platform's records into Best@K inputs, shared by {@code r2e eval bestk} and the dashboard. */
class BestAtKInputsTest {

  @Test
  void theRecordsOfTheTopicsJoinPerCandidate() {
    final List<Trajectory> trajectories = List.of(traj("t1/r/0", "t1", 1.0), traj("t1/r/1", "t1", 0.0),
        traj("t1/r/2", "t1", null), traj("t2/r/0", "t2", null));
    final List<TestScore> tests = List.of(test("t1/r/0", GradeStatus.PASS, 7, List.of(1.0, 2.0)),
        test("t1/r/1", GradeStatus.INFRA_ERROR, 0, List.of()), test("gone/r/0", GradeStatus.PASS, 1, List.of()));
    final List<JudgeScore> judges = List.of(judge("t1/r/0", 0.8), judge("t1/r/1", null));
    final BestAtKInputs.Loaded l = BestAtKInputs.fromRecords(trajectories, tests, judges);
    // Regression = passed count; reproduction = sum over the generated tests; INFRA_ERROR says nothing.
    assertEquals(List.of(new CandidateScores("t1/r/0", 7.0, 3.0, 0.8, 1.0),
        new CandidateScores("t1/r/1", null, null, null, 0.0)), l.tasks().get("t1"));
    assertEquals(List.of("t1"), List.copyOf(l.tasks().keySet()));
    assertEquals(2, l.withoutGroundTruth());
    assertEquals(List.of("t2"), l.tasksWithoutTruth());
    assertEquals(1, l.scoresWithoutRollout());
  }

  @Test
  void groundTruthIsTheRewardElseTheVerifiersHiddenTestRewardUnlessItsRunFailed() {
    assertEquals(new CandidateScores("t/r/0", 3.0, null, null, 1.0), BestAtKInputs.candidate("t/r/0", null,
        testWithHidden("t/r/0", GradeStatus.PASS, 3, List.of(), 1.0), null));
    assertEquals(new CandidateScores("t/r/1", 3.0, null, 0.4, 0.0), BestAtKInputs.candidate("t/r/1", 0.0,
        testWithHidden("t/r/1", GradeStatus.PASS, 3, List.of(), 1.0), judge("t/r/1", 0.4)));
    assertEquals(new CandidateScores("t/r/2", null, null, null, null), BestAtKInputs.candidate("t/r/2", null,
        testWithHidden("t/r/2", GradeStatus.INFRA_ERROR, 0, List.of(), 1.0), null));
  }

  static Trajectory traj(final String id, final String task, final Double reward) {
    return Trajectory.newBuilder().setRolloutId(id).setTaskId(task).setRunId("r").setSample(0).setReward(reward)
        .setStartedAt(Instant.EPOCH).setFinishedAt(Instant.EPOCH).build();
  }

  static TestScore test(final String id, final GradeStatus status, final int passed, final List<Double> repro) {
    return testWithHidden(id, status, passed, repro, null);
  }

  static TestScore testWithHidden(final String id, final GradeStatus status, final int passed,
      final List<Double> repro, final Double hidden) {
    return TestScore.newBuilder().setHiddenReward(hidden).setCandidateId(id).setTaskId(id.substring(0, id.indexOf('/'))).setStatus(status)
        .setRegressionPassed(passed).setReproductionScores(repro).setTestScore(passed).setScoredAt(Instant.EPOCH)
        .build();
  }

  static JudgeScore judge(final String id, final Double pYes) {
    return JudgeScore.newBuilder().setCandidateId(id).setTaskId(id.substring(0, id.indexOf('/'))).setModel("judge")
        .setPYes(pYes).setStatus(pYes == null ? GradeStatus.ERROR : GradeStatus.PASS).setScoredAt(Instant.EPOCH)
        .build();
  }
}
