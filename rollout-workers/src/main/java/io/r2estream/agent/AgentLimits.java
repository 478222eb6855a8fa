package io.r2estream.agent;

import java.time.Duration;

/**
 * Limits of one rollout (reference 4.5). {@code maxSteps} is advisory (a countdown appended to the last message);
 * {@code maxStepsAbsolute} is the hard stop. Context condensation starts when the conversation's estimated tokens
 * pass {@code condenseAboveTokens}.
 */
public record AgentLimits(int maxSteps, int maxStepsAbsolute, int maxTokens, Duration maxExecTime,
    Duration maxTotalTime, int condenseAboveTokens, int maxCompletionTokens) {

  public AgentLimits {
    if (maxSteps < 1 || maxStepsAbsolute < maxSteps) {
      throw new IllegalArgumentException("need 1 <= maxSteps <= maxStepsAbsolute, got " + maxSteps + " and "
          + maxStepsAbsolute);
    }
  }

  /** The values of R2E-Gym's CLI: 40 advised steps, 50 at most, 32K tokens, 90 s per command, 20 min. */
  public static AgentLimits defaults() {
    return new AgentLimits(40, 50, 32_768, Duration.ofSeconds(90), Duration.ofMinutes(20), 28_000, 4_096);
  }

  public AgentLimits withSteps(final int advised, final int absolute) {
    return new AgentLimits(advised, absolute, maxTokens, maxExecTime, maxTotalTime, condenseAboveTokens,
        maxCompletionTokens);
  }

  public AgentLimits withMaxTokens(final int tokens) {
    return new AgentLimits(maxSteps, maxStepsAbsolute, tokens, maxExecTime, maxTotalTime, condenseAboveTokens,
        maxCompletionTokens);
  }

  public AgentLimits withMaxTotalTime(final Duration d) {
    return new AgentLimits(maxSteps, maxStepsAbsolute, maxTokens, maxExecTime, d, condenseAboveTokens,
        maxCompletionTokens);
  }

  public AgentLimits withCondenseAbove(final int tokens) {
    return new AgentLimits(maxSteps, maxStepsAbsolute, maxTokens, maxExecTime, maxTotalTime, tokens,
        maxCompletionTokens);
  }
}
