package io.r2estream.dashboard.view;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.Trajectory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rollout progress from finished trajectories and their candidate patches: counts by exit reason, resolved rate
 * (among rollouts with a known reward), tokens spent and wall time.
 */
public final class RolloutView {

  private long trajectories;
  private long rewarded;
  private long resolved;
  private long promptTokens;
  private long completionTokens;
  private long totalMillis;
  private long steps;
  private long candidates;
  private final Counts byExitReason = new Counts();
  private final Counts candidatesByExitReason = new Counts();

  void trajectory(final Trajectory t) {
    trajectories++;
    byExitReason.add(t.getExitReason());
    if (t.getReward() != null) {
      rewarded++;
      if (t.getReward() >= 1.0) {
        resolved++;
      }
    }
    promptTokens += t.getPromptTokens();
    completionTokens += t.getCompletionTokens();
    totalMillis += Math.max(0, t.getFinishedAt().toEpochMilli() - t.getStartedAt().toEpochMilli());
    steps += t.getSteps().size();
  }

  void candidate(final CandidatePatch c) {
    candidates++;
    candidatesByExitReason.add(c.getExitReason());
  }

  public long trajectories() {
    return trajectories;
  }

  /** Resolved share of the rollouts with a reward, null before any. */
  public Double resolvedRate() {
    return rewarded == 0 ? null : (double) resolved / rewarded;
  }

  Map<String, Object> toJson() {
    final Map<String, Object> m = new LinkedHashMap<>();
    m.put("trajectories", trajectories);
    m.put("rewarded", rewarded);
    m.put("resolved", resolved);
    m.put("resolvedRate", resolvedRate());
    m.put("promptTokens", promptTokens);
    m.put("completionTokens", completionTokens);
    m.put("totalSeconds", totalMillis / 1000.0);
    m.put("meanSeconds", trajectories == 0 ? null : totalMillis / 1000.0 / trajectories);
    m.put("meanSteps", trajectories == 0 ? null : (double) steps / trajectories);
    m.put("byExitReason", byExitReason.toMap());
    m.put("candidates", candidates);
    m.put("candidatesByExitReason", candidatesByExitReason.toMap());
    return m;
  }
}
