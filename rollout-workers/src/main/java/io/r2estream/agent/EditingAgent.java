package io.r2estream.agent;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.LlmException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The editing agent's loop (reference 4.1 and 4.5), in either {@link AgentMode}: the history starts with the system
 * prompt and the instance prompt; each turn appends the step countdown to the last message, asks the model, runs
 * its function call through the {@link ActionRunner} and appends the assistant turn and the observation as the mode
 * keeps them; after each step the termination rules are checked in R2E-Gym's order. Long conversations are
 * condensed by replacing the oldest observations, never the first instruction or the latest observation. A response
 * cut off by the completion-token budget before its call was complete is told so, instead of being treated as a
 * response without a call.
 */
public final class EditingAgent {

  static final String CONDENSED = "<Observation condensed for saving context>";
  static final String OUT_OF_STEPS = "You have reached the maximum number of steps. Please submit your answer NOW.";

  /** The reason given for a response cut at the completion-token budget; {@code %d} is the budget. */
  static final String TRUNCATED = "your response was cut off at the completion token limit (%d tokens) before its"
      + " function call was complete; write a shorter response";

  private final AgentModel model;
  private final AgentMode mode;
  private final AgentPrompts prompts;
  private final AgentLimits limits;
  private final Double temperature;

  public EditingAgent(final AgentModel model, final AgentMode mode, final AgentLimits limits,
      final Double temperature) {
    this(model, mode, mode.prompts(), limits, temperature);
  }

  /** An agent with other prompts than the editing agent's (the testing agent's), same tools and loop. */
  public EditingAgent(final AgentModel model, final AgentMode mode, final AgentPrompts prompts,
      final AgentLimits limits,
      final Double temperature) {
    this.model = model;
    this.mode = mode;
    this.prompts = prompts;
    this.limits = limits;
    this.temperature = temperature;
  }

  /** One step as it happened. */
  public record Step(int index, String thought, String action, String observation, boolean done, int promptTokens,
      int completionTokens, int totalTokens, long llmMillis, long envMillis) {
  }

  /** The rollout: its steps, why it ended, and the tokens it used. */
  public record Result(List<Step> steps, ExitReason exitReason, long promptTokens, long completionTokens,
      long millis, String error) {
  }

  /** Runs until a termination rule fires; {@code onStep} sees every step as it ends (live trajectory events). */
  public Result run(final String problemStatement, final ActionRunner runner, final Consumer<Step> onStep) {
    final List<ChatMessage> history = new ArrayList<>();
    history.add(ChatMessage.system(prompts.system()));
    history.add(ChatMessage.user(prompts.instance(problemStatement)));
    final List<Step> steps = new ArrayList<>();
    final long start = System.nanoTime();
    long prompt = 0;
    long completion = 0;
    for (int step = 0; ; step++) {
      final int remaining = limits.maxSteps() - step;
      final List<ChatMessage> request = withCountdown(history, remaining);
      condense(request);
      final long t0 = System.nanoTime();
      final AgentModel.Reply response;
      try {
        response = model.reply(request, temperature, limits.maxCompletionTokens(), mode.tools());
      } catch (LlmException e) {
        return new Result(steps, ExitReason.LLM_QUERY_ERROR, prompt, completion, millis(start), e.getMessage());
      }
      final long llmMillis = millis(t0);
      prompt += Math.max(0, response.usage().promptTokens());
      completion += Math.max(0, response.usage().completionTokens());
      final long t1 = System.nanoTime();
      final ActionRunner.Turn turn = runner.run(parse(response), mode.formatHint());
      final long envMillis = millis(t1);
      // The countdown belongs to the request only; the history keeps the plain messages.
      history.addAll(mode.turn(response, turn, step));
      final Step s = new Step(step, turn.thought(), turn.action(), turn.observation(), turn.done(),
          response.usage().promptTokens(), response.usage().completionTokens(), response.usage().totalTokens(),
          llmMillis, envMillis);
      steps.add(s);
      onStep.accept(s);
      final ExitReason exit = exitAfter(step + 1, turn.done(), response.usage().totalTokens(), millis(start));
      if (exit != null) {
        return new Result(steps, exit, prompt, completion, millis(start), "");
      }
    }
  }

  /** The reply's call; a cut-off reply without a complete call says it was cut off. */
  ParsedResponse parse(final AgentModel.Reply reply) {
    final ParsedResponse parsed = mode.parse(reply);
    if (reply.truncated() && !(parsed instanceof ParsedResponse.Found)) {
      return new ParsedResponse.Malformed(parsed.thought(), String.format(TRUNCATED, limits.maxCompletionTokens()));
    }
    return parsed;
  }

  /** The termination checks after {@code stepsDone} steps, in R2E-Gym's order; null to go on. */
  ExitReason exitAfter(final int stepsDone, final boolean done, final int totalTokens, final long elapsedMillis) {
    if (done) {
      final int left = limits.maxSteps() - stepsDone;
      return left > 0 ? ExitReason.AGENT : left == 0 ? ExitReason.MAX_STEP_LIMIT : ExitReason.AGENT_MAX_STEP_LIMIT;
    }
    if (totalTokens >= limits.maxTokens()) {
      return ExitReason.TOKEN_LIMIT;
    }
    if (stepsDone >= limits.maxStepsAbsolute()) {
      return ExitReason.ABS_STEP_LIMIT;
    }
    if (elapsedMillis >= limits.maxTotalTime().toMillis()) {
      return ExitReason.TRAJ_TIME_LIMIT;
    }
    return null;
  }

  /** A copy of the history whose last message carries the step countdown. */
  static List<ChatMessage> withCountdown(final List<ChatMessage> history, final int remaining) {
    final List<ChatMessage> out = new ArrayList<>(history);
    final ChatMessage last = out.get(out.size() - 1);
    final String note = remaining > 0 ? "\nSteps Remaining: " + remaining : "\n" + OUT_OF_STEPS;
    out.set(out.size() - 1, last.withContent(last.content() + note));
    return out;
  }

  /**
   * Replaces observations (user and tool messages) from the second to the second-to-last, oldest first, with a
   * marker until the estimated size fits (about 4 characters per token, which is what tokenizers give on code and
   * English). A tool message keeps the id of the call it answers.
   */
  void condense(final List<ChatMessage> messages) {
    for (int i = 2; i < messages.size() - 1 && estimatedTokens(messages) > limits.condenseAboveTokens(); i++) {
      final ChatMessage m = messages.get(i);
      if ((m.role().equals("user") || m.role().equals(ChatMessage.TOOL)) && !m.content().equals(CONDENSED)) {
        messages.set(i, m.withContent(CONDENSED));
      }
    }
  }

  static int estimatedTokens(final List<ChatMessage> messages) {
    return io.r2estream.llm.TokenEstimates.of(messages);
  }

  private static long millis(final long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
