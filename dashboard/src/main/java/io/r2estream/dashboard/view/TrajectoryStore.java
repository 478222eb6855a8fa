package io.r2estream.dashboard.view;

import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trajectory viewer's data: the most recent finished trajectories, whole (steps, patch, test output). */
public final class TrajectoryStore {

  private final BoundedMap<String, Trajectory> trajectories;

  TrajectoryStore(final int maxTrajectories) {
    trajectories = new BoundedMap<>(maxTrajectories);
  }

  void put(final Trajectory t) {
    trajectories.putNewest(t.getRolloutId(), t);
  }

  /** Summary rows, newest first; only those of one task when {@code taskId} is not null. */
  List<Map<String, Object>> listJson(final String taskId) {
    final List<Map<String, Object>> rows = new ArrayList<>();
    trajectories.values().forEach(t -> {
      if (taskId == null || taskId.equals(t.getTaskId())) {
        rows.add(0, summary(t));
      }
    });
    return rows;
  }

  private static Map<String, Object> summary(final Trajectory t) {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("rolloutId", t.getRolloutId());
    m.put("taskId", t.getTaskId());
    m.put("model", t.getModel());
    m.put("sample", t.getSample());
    m.put("exitReason", t.getExitReason());
    m.put("reward", t.getReward());
    m.put("steps", t.getSteps().size());
    m.put("promptTokens", t.getPromptTokens());
    m.put("completionTokens", t.getCompletionTokens());
    m.put("seconds", Math.max(0, t.getFinishedAt().toEpochMilli() - t.getStartedAt().toEpochMilli()) / 1000.0);
    return m;
  }

  /** The whole trajectory beside the task's gold patch (null when the task is not in memory), or null. */
  Map<String, Object> trajectoryJson(final String rolloutId, final TaskCatalog tasks) {
    final Trajectory t = trajectories.get(rolloutId);
    if (t == null) {
      return null;
    }
    final Map<String, Object> m = summary(t);
    final List<Map<String, Object>> steps = new ArrayList<>();
    for (final TrajectoryStep s : t.getSteps()) {
      final Map<String, Object> step = new LinkedHashMap<>();
      step.put("index", s.getStepIdx());
      step.put("thought", s.getThought());
      step.put("action", s.getAction());
      step.put("observation", s.getObservation());
      step.put("tokens", s.getTokenUsageTotal());
      step.put("seconds", s.getTotalStepTime());
      steps.add(step);
    }
    m.put("stepList", steps);
    m.put("outputPatch", t.getOutputPatch());
    final var task = tasks.get(t.getTaskId());
    m.put("goldPatch", task == null ? null : task.getPatch());
    m.put("testOutput", t.getTestOutput());
    return m;
  }
}
