package io.r2estream.verifier.judge;

import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small trajectories for the judge's tests. */
final class Trajectories {

  /** A step: thought, action, observation. */
  record Step(String thought, String action, String observation) {
  }

  private Trajectories() {
  }

  static Trajectory of(final String rolloutId, final String taskId, final String problem, final String patch,
      final Step... steps) {
    final List<TrajectoryStep> out = new ArrayList<>();
    for (int i = 0; i < steps.length; i++) {
      out.add(TrajectoryStep.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setStepIdx(i)
          .setThought(steps[i].thought()).setAction(steps[i].action()).setObservation(steps[i].observation())
          .build());
    }
    return Trajectory.newBuilder().setRolloutId(rolloutId).setTaskId(taskId).setRunId("run-1").setSample(0)
        .setProblemStatement(problem).setOutputPatch(patch).setSteps(out).setExitReason("submitted")
        .setStartedAt(Instant.parse("2025-01-01T00:00:00Z")).setFinishedAt(Instant.parse("2025-01-01T00:05:00Z"))
        .build();
  }

  static String repeat(final char c, final int n) {
    return String.valueOf(c).repeat(n);
  }
}
