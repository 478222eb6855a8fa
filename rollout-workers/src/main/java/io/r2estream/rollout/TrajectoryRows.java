package io.r2estream.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.agent.AgentPrompts;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;

/**
 * Trajectories as dataset rows: R2E-Gym's trajectory JSON (reference 1.5: {@code trajectory_steps} with thought,
 * action as {@code <function=...>} text, observation and timings; limits; exit reason, output patch, reward) and the
 * chat format supervised fine-tuning uses (LLaMA-Factory's sharegpt layout with OpenAI role/content tags): the
 * system prompt, the instance prompt with the problem statement, then per step the assistant turn (thought and
 * call, as the model saw its own history) and the observation as the next user turn.
 */
public final class TrajectoryRows {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TrajectoryRows() {
  }

  public static ObjectNode r2eGym(final Trajectory t) {
    final ObjectNode row = JSON.createObjectNode();
    row.put("rollout_id", t.getRolloutId());
    row.put("instance_id", t.getTaskId());
    final ArrayNode steps = row.putArray("trajectory_steps");
    int count = 0;
    for (final TrajectoryStep s : t.getSteps()) {
      final ObjectNode n = steps.addObject();
      n.put("step_idx", s.getStepIdx());
      n.put("thought", s.getThought());
      n.put("action", s.getAction());
      n.put("observation", s.getObservation());
      n.put("done", s.getDone());
      n.putObject("info").put("total_time", s.getTotalStepTime());
      n.put("token_usage_prompt", s.getTokenUsagePrompt());
      n.put("token_usage_completion", s.getTokenUsageCompletion());
      n.put("token_usage_total", s.getTokenUsageTotal());
      n.put("llm_exec_time", s.getLlmExecTime());
      n.put("env_exec_time", s.getEnvExecTime());
      n.put("total_step_time", s.getTotalStepTime());
      n.put("total_time_traj", s.getTotalTimeTraj());
      n.put("step_count", ++count);
    }
    row.put("problem_statement", t.getProblemStatement());
    row.put("docker_image", t.getDockerImage());
    row.put("exp_name", t.getModel());
    row.put("max_steps", t.getMaxSteps());
    row.put("max_token_limit", t.getMaxTokenLimit());
    row.put("max_exec_time", t.getMaxExecTime());
    row.put("max_total_time", t.getMaxTotalTime());
    row.put("exit_reason", t.getExitReason());
    row.put("output_patch", t.getOutputPatch());
    if (t.getReward() == null) {
      row.putNull("reward");
    } else {
      row.put("reward", t.getReward());
    }
    row.put("test_output", t.getTestOutput());
    return row;
  }

  public static ObjectNode sft(final Trajectory t, final AgentPrompts prompts) {
    final ObjectNode row = JSON.createObjectNode();
    final ArrayNode messages = row.putArray("messages");
    message(messages, "system", prompts.system());
    message(messages, "user", prompts.instance(t.getProblemStatement()));
    for (final TrajectoryStep s : t.getSteps()) {
      message(messages, "assistant", s.getAction().isEmpty() ? s.getThought() : s.getThought() + "\n\n" + s.getAction());
      message(messages, "user", s.getObservation());
    }
    // A conversation ends with the model's turn: the final observation teaches nothing.
    if (messages.size() > 2 && "user".equals(messages.get(messages.size() - 1).get("role").asText())) {
      messages.remove(messages.size() - 1);
    }
    return row;
  }

  private static void message(final ArrayNode messages, final String role, final String content) {
    messages.addObject().put("role", role).put("content", content);
  }
}
