package io.r2estream.verifier.judge;

import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenEstimates;
import java.util.ArrayList;
import java.util.List;

/**
 * The judge's two messages for one trajectory, fitted to a context budget (reference 5.2).
 *
 * <p>The user message may take {@code maxContextTokens} minus the system prompt and the answer
 * ({@value #ANSWER}) minus {@value #MARGIN_TOKENS} tokens, estimated as {@link TokenEstimates} does. While it is
 * longer, the longest assistant thought still in full, the first step's excepted (it holds the agent's plan), is
 * replaced by {@value #CONDENSED_THOUGHT}, as R2E-Gym does. Our extension: when every thought is condensed and the
 * message is still too long, the longest observations (any step's) are replaced by {@value #CONDENSED_OBSERVATION}
 * the same way. Text no longer than its placeholder is never replaced. If even that does not fit, the message goes
 * out over budget ({@link #overBudget()}) and the server decides.
 *
 * @param messages              the judge's system message and user message
 * @param estimatedTokens       the user message's estimated tokens
 * @param budgetTokens          what the user message may take
 * @param condensedThoughts     thoughts replaced by the placeholder
 * @param condensedObservations observations replaced by the placeholder
 */
public record JudgeInput(List<ChatMessage> messages, int estimatedTokens, int budgetTokens, int condensedThoughts,
    int condensedObservations) {

  /** R2E-Gym's context length of the judge. */
  public static final int DEFAULT_MAX_CONTEXT_TOKENS = 65_536;
  /** Head room kept below the budget (R2E-Gym's). */
  public static final int MARGIN_TOKENS = 500;
  /** The longest answer the judge is meant to give, counted against the budget. */
  public static final String ANSWER = "<judgement>YES</judgement>";
  public static final String CONDENSED_THOUGHT = "<Thought condensed for saving context>";
  public static final String CONDENSED_OBSERVATION = "<Observation condensed for saving context>";

  public JudgeInput {
    messages = List.copyOf(messages);
  }

  /** Thoughts and observations condensed. */
  public int condensed() {
    return condensedThoughts + condensedObservations;
  }

  /** Whether the user message is still longer than its budget after condensing all it could. */
  public boolean overBudget() {
    return estimatedTokens > budgetTokens;
  }

  public String system() {
    return messages.get(0).content();
  }

  public String user() {
    return messages.get(1).content();
  }

  /** The messages for {@code trajectory}, condensed to fit {@code maxContextTokens}. */
  public static JudgeInput of(final JudgePrompt prompt, final Trajectory trajectory, final int maxContextTokens) {
    final List<String> thoughts = new ArrayList<>();
    final List<String> actions = new ArrayList<>();
    final List<String> observations = new ArrayList<>();
    for (final TrajectoryStep s : trajectory.getSteps()) {
      thoughts.add(s.getThought());
      actions.add(s.getAction());
      observations.add(s.getObservation());
    }
    final String patch = FinalPatch.onlyExistingFiles(trajectory.getOutputPatch());
    final String instance = prompt.instance(trajectory.getProblemStatement());
    final int budget = maxContextTokens - TokenEstimates.of(prompt.system() + ANSWER) - MARGIN_TOKENS;
    long chars = render(prompt, instance, thoughts, actions, observations, patch).length();
    // Lengths are updated arithmetically: re-rendering after every replacement would be quadratic.
    int condensedThoughts = 0;
    while (TokenEstimates.ofChars(chars) > budget) {
      final int i = longest(thoughts, 1, CONDENSED_THOUGHT);
      if (i < 0) {
        break;
      }
      chars -= thoughts.get(i).length() - CONDENSED_THOUGHT.length();
      thoughts.set(i, CONDENSED_THOUGHT);
      condensedThoughts++;
    }
    int condensedObservations = 0;
    while (TokenEstimates.ofChars(chars) > budget) {
      final int i = longest(observations, 0, CONDENSED_OBSERVATION);
      if (i < 0) {
        break;
      }
      chars -= observations.get(i).length() - CONDENSED_OBSERVATION.length();
      observations.set(i, CONDENSED_OBSERVATION);
      condensedObservations++;
    }
    final String user = render(prompt, instance, thoughts, actions, observations, patch);
    return new JudgeInput(List.of(ChatMessage.system(prompt.system()), ChatMessage.user(user)),
        TokenEstimates.of(user), budget, condensedThoughts, condensedObservations);
  }

  /** The index of the longest text from {@code from} on that is longer than the placeholder (earliest on ties). */
  private static int longest(final List<String> texts, final int from, final String placeholder) {
    int best = -1;
    for (int i = from; i < texts.size(); i++) {
      final int len = texts.get(i).length();
      if (len > placeholder.length() && (best < 0 || len > texts.get(best).length())) {
        best = i;
      }
    }
    return best;
  }

  private static String render(final JudgePrompt prompt, final String instance, final List<String> thoughts,
      final List<String> actions, final List<String> observations, final String patch) {
    final StringBuilder sb = new StringBuilder(prompt.head());
    sb.append("[SYSTEM]\n").append(prompt.loggedSystem()).append("\n[/SYSTEM]\n\n");
    sb.append("[USER]\n").append(instance).append("\n[/USER]");
    for (int i = 0; i < thoughts.size(); i++) {
      sb.append("\n\n[STEP]\n").append(i).append("\n[/STEP]");
      sb.append("\n\n[ASSISTANT]\n");
      if (!thoughts.get(i).isEmpty()) {
        sb.append(thoughts.get(i)).append("\n\n");
      }
      sb.append(actions.get(i)).append("\n[/ASSISTANT]");
      sb.append("\n\n[USER]\n").append(observations.get(i)).append("\n[/USER]");
    }
    return sb.append(prompt.middle()).append(patch).append(prompt.tail()).toString();
  }
}
