package io.r2estream.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The editing agent's prompts, as resource files (agent/*.txt) so they can be reviewed and versioned apart from the
 * code. Text mode documents the four tools and the {@code <function=...>} format in the system prompt; in
 * function-calling mode the tools' schemas travel with every request, so the system prompt only names them.
 */
public record AgentPrompts(String system, String instanceTemplate) {

  /** The text-mode prompts. */
  public static AgentPrompts textMode() {
    return new AgentPrompts(resource("agent/system-text.txt"), resource("agent/instance.txt"));
  }

  /** The function-calling-mode prompts. */
  public static AgentPrompts functionCalling() {
    return new AgentPrompts(resource("agent/system-fc.txt"), resource("agent/instance.txt"));
  }

  /**
   * The testing agent's prompts (reference 4.7) in a mode: write a standalone {@code /testbed/test_issue.py} whose
   * cases each print "Issue reproduced", "Issue resolved" or "Other issues", without fixing the issue.
   */
  public static AgentPrompts testing(final AgentMode mode) {
    return new AgentPrompts(resource(mode == AgentMode.TEXT ? "testgen/system-text.txt" : "testgen/system-fc.txt"),
        resource("testgen/instance.txt"));
  }

  /** The instance prompt for a problem statement. */
  public String instance(final String problemStatement) {
    return instanceTemplate.replace("{problem_statement}", problemStatement);
  }

  private static String resource(final String name) {
    try (InputStream in = AgentPrompts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing prompt resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
