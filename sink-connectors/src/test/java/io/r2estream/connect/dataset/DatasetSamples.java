package io.r2estream.connect.dataset;

import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import java.time.Instant;
import java.util.List;

/** Task, trajectory and ranking records as the platform's producers write them. */
final class DatasetSamples {

  private DatasetSamples() {
  }

  static TaskInstance task(final String id) {
    return TaskInstance.newBuilder()
        .setInstanceId(id).setRepo("acme/widgets").setBaseCommit("0parent")
        .setPatch("diff --git a/widgets/area.py b/widgets/area.py\n").setTestPatch("diff --git a/tests/t.py b/tests/t.py\n")
        .setFAILTOPASS(List.of("tests/test_area.py::test_area"))
        .setPASSTOPASS(List.of("tests/test_area.py::test_zero"))
        .setProblemStatement("area() adds its sides for " + id)
        .setCreatedAt(Instant.parse("2025-03-04T05:06:07Z"))
        .setEnvironment(EnvironmentRef.newBuilder().setImage("r2e-env/widgets:3f2a").setTestCommand("pytest").build())
        .setCommitHash("3f2a").setRepoName("widgets").setDockerImage("r2e-env/widgets:3f2a")
        .build();
  }

  static Trajectory trajectory(final String rolloutId, final String taskId, final String agentMode) {
    final List<TrajectoryStep> steps = List.of(
        TrajectoryStep.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setStepIdx(0)
            .setThought("Look at the code.").setAction("<function=file_editor>view</function>")
            .setObservation("def area(w, h): return w + h").build(),
        TrajectoryStep.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setStepIdx(1)
            .setThought("Submit.").setAction("<function=finish>submit</function>").setObservation("done").build());
    return Trajectory.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setRunId("run-1").setSample(0)
        .setProblemStatement("area() adds its sides").setOutputPatch("diff").setSteps(steps)
        .setExitReason("submitted").setReward(1.0).setAgentMode(agentMode)
        .setStartedAt(Instant.parse("2025-01-01T00:00:00Z")).setFinishedAt(Instant.parse("2025-01-01T00:05:00Z"))
        .build();
  }

  static HybridRanking ranking(final String taskId) {
    return HybridRanking.newBuilder().setTaskId(taskId).setMode("HYBRID").setK(2).setBestCandidateId(taskId + "/c1")
        .setCandidates(List.of(
            RankedCandidate.newBuilder().setCandidateId(taskId + "/c1").setRank(1).setHybridScore(1.0)
                .setTestScore(0.75).setJudgeScore(0.9).build(),
            RankedCandidate.newBuilder().setCandidateId(taskId + "/c2").setRank(2).setHybridScore(0.5).build()))
        .setUpdatedAt(Instant.parse("2025-01-01T00:06:00Z")).setTieBreak("").build();
  }
}
