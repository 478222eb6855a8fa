package io.r2estream.agent;

import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenUsage;
import io.r2estream.llm.ToolDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-issues the actions of a recorded trajectory, step by step, in the mode the agent runs in: a trajectory
 * replayed against the same task reproduces its patch and reward without the LLM, which checks that an environment
 * (or a new build of the tools) still behaves as it did when the trajectory was recorded. A recorded step without a
 * readable call is re-issued as its thought alone (the agent answers it with the reminder to call a function); when
 * the recorded actions run out before a {@code finish}, the model submits. Replay in the mode the trajectory was
 * recorded in for an exact reproduction: text mode strips parameter values (R2E-Gym's text protocol does), so a
 * function-calling trajectory's indented {@code old_str} would lose its indentation there.
 */
public final class ReplayModel implements AgentModel {

  public static final String NAME = "replay";
  /** The rollout request's agent_config key naming the rollout whose trajectory is replayed. */
  public static final String AGENT_CONFIG_KEY = "replay_of";

  /** One recorded step: what the model thought and the call it made (null when it made none). */
  record Recorded(String thought, Action action) {
  }

  private final List<Recorded> steps;
  private int next;

  ReplayModel(final List<Recorded> steps) {
    this.steps = List.copyOf(steps);
  }

  /** The model replaying {@code recorded}'s steps. */
  public static ReplayModel of(final Trajectory recorded) {
    final List<Recorded> out = new ArrayList<>();
    for (final TrajectoryStep s : recorded.getSteps()) {
      final ParsedResponse p = s.getAction().isBlank() ? null : ActionParser.parseRecorded(s.getAction());
      out.add(new Recorded(s.getThought(), p instanceof ParsedResponse.Found f ? f.action() : null));
    }
    return new ReplayModel(out);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** How many recorded steps there are. */
  public int recordedSteps() {
    return steps.size();
  }

  @Override
  public synchronized Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens,
      final List<ToolDefinition> tools) {
    final int index = next++;
    if (index >= steps.size()) {
      return ActionReplies.of("The recorded trajectory ends here.", ActionReplies.submit(), tools, index);
    }
    final Recorded r = steps.get(index);
    return r.action() == null ? new Reply(r.thought(), TokenUsage.UNKNOWN)
        : ActionReplies.of(r.thought(), r.action(), tools, index);
  }
}
