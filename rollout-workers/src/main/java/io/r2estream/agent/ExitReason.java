package io.r2estream.agent;

/**
 * Why a rollout ended, with R2E-Gym's names (reference 4.5) so trajectories compare with theirs. The checks run
 * after each step in this order: finish, token limit, absolute step limit, time limit; an LLM failure ends at once.
 */
public enum ExitReason {
  /** The agent called finish with steps to spare. */
  AGENT("agent"),
  /** The agent called finish on its last advised step. */
  MAX_STEP_LIMIT("max_step_limit"),
  /** The agent called finish after the advised steps ran out. */
  AGENT_MAX_STEP_LIMIT("agent_max_step_limit"),
  /** The last response's total tokens reached the limit. */
  TOKEN_LIMIT("token_limit"),
  /** The hard step limit was reached without finish. */
  ABS_STEP_LIMIT("abs_step_limit"),
  /** LLM plus tool time reached the rollout's time limit. */
  TRAJ_TIME_LIMIT("traj_time_limit"),
  /** The LLM call failed after its retries. */
  LLM_QUERY_ERROR("llm_query_error");

  private final String id;

  ExitReason(final String id) {
    this.id = id;
  }

  /** The name written into trajectories. */
  public String id() {
    return id;
  }
}
