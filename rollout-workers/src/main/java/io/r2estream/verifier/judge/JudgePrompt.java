package io.r2estream.verifier.judge;

import io.r2estream.agent.AgentPrompts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The execution-free verifier's prompts (reference 5.2), as resource files (judge/*.txt) so they can be reviewed
 * apart from the code. The judge gets its own system prompt and one user message: the interaction log (which opens
 * with a logged system prompt and the instance prompt with the problem statement), the final patch and the YES/NO
 * question. As in R2E-Gym, the log shows the judge's own system prompt and a generic instance prompt, not the editing
 * agent's: a judge trained on R2E-Gym's data sees the frame it was trained on. {@link #loggingAgentPrompts} shows the
 * editing agent's real prompts instead.
 *
 * @param system                 the judge's system message
 * @param loggedSystem           the text of the log's {@code [SYSTEM]} block
 * @param loggedInstanceTemplate the log's first {@code [USER]} block, with {@value #PROBLEM_STATEMENT}
 * @param userTemplate           the user message, with {@value #INTERACTION} before {@value #PATCH}, once each
 */
public record JudgePrompt(String system, String loggedSystem, String loggedInstanceTemplate, String userTemplate) {

  public static final String PROBLEM_STATEMENT = "{problem_statement}";
  public static final String INTERACTION = "{interaction}";
  public static final String PATCH = "{patch}";

  public JudgePrompt {
    final int interaction = userTemplate.indexOf(INTERACTION);
    final int patch = userTemplate.indexOf(PATCH);
    if (interaction < 0 || patch < interaction || userTemplate.indexOf(INTERACTION, interaction + 1) >= 0
        || userTemplate.indexOf(PATCH, patch + 1) >= 0) {
      throw new IllegalArgumentException("a judge user template needs " + INTERACTION + " then " + PATCH
          + ", once each: " + userTemplate);
    }
  }

  /** R2E-Gym's layout in our wording: the judge's system prompt is also the logged one. */
  public static JudgePrompt standard() {
    final String system = resource("judge/system.txt");
    return new JudgePrompt(system, system, resource("judge/instance.txt"), resource("judge/user.txt"));
  }

  /** The standard judge, with the editing agent's own system and instance prompts in the log. */
  public static JudgePrompt loggingAgentPrompts(final AgentPrompts agent) {
    final JudgePrompt s = standard();
    return new JudgePrompt(s.system(), agent.system(), agent.instanceTemplate(), s.userTemplate());
  }

  /** The log's first user message for a problem statement. */
  public String instance(final String problemStatement) {
    return loggedInstanceTemplate.replace(PROBLEM_STATEMENT, problemStatement);
  }

  /** The user template before {@value #INTERACTION}. */
  String head() {
    return userTemplate.substring(0, userTemplate.indexOf(INTERACTION));
  }

  /** The user template between {@value #INTERACTION} and {@value #PATCH}. */
  String middle() {
    return userTemplate.substring(userTemplate.indexOf(INTERACTION) + INTERACTION.length(),
        userTemplate.indexOf(PATCH));
  }

  /** The user template after {@value #PATCH}. */
  String tail() {
    return userTemplate.substring(userTemplate.indexOf(PATCH) + PATCH.length());
  }

  private static String resource(final String name) {
    try (InputStream in = JudgePrompt.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing prompt resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
