package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.llm.ChatMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's pure rules: countdown, termination order, condensation. */
class EditingAgentTest {

  private static EditingAgent agent(final AgentLimits limits) {
    return new EditingAgent(null, new AgentPrompts("sys", "{problem_statement}"), limits, 0.0);
  }

  @Test
  void finishIsNamedByTheStepsLeft() {
    final EditingAgent a = agent(AgentLimits.defaults().withSteps(3, 5));
    assertEquals(ExitReason.AGENT, a.exitAfter(2, true, 10, 0));
    assertEquals(ExitReason.MAX_STEP_LIMIT, a.exitAfter(3, true, 10, 0));
    assertEquals(ExitReason.AGENT_MAX_STEP_LIMIT, a.exitAfter(4, true, 10, 0));
  }

  @Test
  void limitsAreCheckedInReferenceOrder() {
    final EditingAgent a = agent(AgentLimits.defaults().withSteps(3, 5).withMaxTokens(1000)
        .withMaxTotalTime(Duration.ofSeconds(10)));
    assertNull(a.exitAfter(1, false, 999, 9_999));
    assertEquals(ExitReason.TOKEN_LIMIT, a.exitAfter(5, false, 1000, 20_000), "tokens before steps and time");
    assertEquals(ExitReason.ABS_STEP_LIMIT, a.exitAfter(5, false, 10, 20_000), "steps before time");
    assertEquals(ExitReason.TRAJ_TIME_LIMIT, a.exitAfter(2, false, 10, 10_000));
    assertEquals(ExitReason.AGENT, a.exitAfter(1, true, 5000, 99_999), "finish wins over every limit");
  }

  @Test
  void theCountdownGoesOnTheLastMessageOnly() {
    final List<ChatMessage> h = List.of(ChatMessage.system("s"), ChatMessage.user("u"));
    assertEquals("u\nSteps Remaining: 7", EditingAgent.withCountdown(h, 7).get(1).content());
    assertEquals("u\n" + EditingAgent.OUT_OF_STEPS, EditingAgent.withCountdown(h, 0).get(1).content());
    assertEquals("u", h.get(1).content(), "the history itself is untouched");
  }

  @Test
  void condensationReplacesTheOldestObservationsFirstAndKeepsTheInstructionAndTheLatest() {
    final EditingAgent a = agent(AgentLimits.defaults().withCondenseAbove(300));
    final List<ChatMessage> m = new ArrayList<>(List.of(ChatMessage.system("s"), ChatMessage.user("the issue")));
    for (int i = 0; i < 4; i++) {
      m.add(ChatMessage.assistant("call " + i));
      m.add(ChatMessage.user("x".repeat(400)));
    }
    a.condense(m);
    assertEquals("the issue", m.get(1).content());
    assertEquals(EditingAgent.CONDENSED, m.get(3).content());
    assertEquals(EditingAgent.CONDENSED, m.get(5).content());
    assertEquals("x".repeat(400), m.get(m.size() - 1).content(), "the latest observation stays");
    assertTrue(EditingAgent.estimatedTokens(m) <= 300 || m.get(7).content().equals(EditingAgent.CONDENSED));
    assertEquals("call 0", m.get(2).content(), "assistant turns are kept");
  }
}
