package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.llm.ChatMessage;
import io.r2estream.llm.TokenUsage;
import io.r2estream.llm.ToolCall;
import io.r2estream.llm.ToolDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The loop's pure rules: countdown, termination order, condensation, and how each mode keeps its history; the
 * model and the tools are stand-ins here (the real ones run in RolloutRunnerIT).
 */
class EditingAgentTest {

  private static EditingAgent agent(final AgentLimits limits) {
    return new EditingAgent(null, AgentMode.TEXT, new AgentPrompts("sys", "{problem_statement}"), limits, 0.0);
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

  /** Answers from a list (the last answer repeats), recording what each request carried. */
  private static final class ListModel implements AgentModel {
    private final List<Reply> replies;
    final List<List<ChatMessage>> requests = new ArrayList<>();
    final List<List<ToolDefinition>> offered = new ArrayList<>();

    ListModel(final Reply... replies) {
      this.replies = List.of(replies);
    }

    @Override
    public String name() {
      return "list";
    }

    @Override
    public Reply reply(final List<ChatMessage> messages, final Double temperature, final int maxTokens,
        final List<ToolDefinition> tools) {
      requests.add(List.copyOf(messages));
      offered.add(tools);
      return replies.get(Math.min(requests.size(), replies.size()) - 1);
    }
  }

  /** Finishes on {@code finish}, answers other calls with "ran NAME", and reports what it could not run. */
  private static ActionRunner runner(final List<ParsedResponse> seen) {
    return (parsed, hint) -> {
      seen.add(parsed);
      if (parsed instanceof ParsedResponse.Found f) {
        return new ActionRunner.Turn(f.thought(), f.action().toXml(), "ran " + f.action().name(),
            f.action().name().equals("finish"));
      }
      return new ActionRunner.Turn(parsed.thought(), "", "no call: " + hint, false);
    };
  }

  private static AgentModel.Reply call(final String id, final String name, final String args) {
    return new AgentModel.Reply("thinking", new TokenUsage(5, 5, 10), List.of(new ToolCall(id, name, args)),
        "tool_calls");
  }

  @Test
  void functionCallingModeOffersTheToolsAndAnswersEachCallWithAToolMessage() {
    final ListModel model = new ListModel(call("c1", "search", "{\"search_term\": \"wrap\"}"),
        new AgentModel.Reply("I will just talk.", new TokenUsage(5, 5, 10)),
        call("", "finish", "{\"command\": \"submit\"}"));
    final List<ParsedResponse> seen = new ArrayList<>();
    final EditingAgent.Result r = new EditingAgent(model, AgentMode.FUNCTION_CALLING, AgentLimits.defaults(), 0.0)
        .run("the issue", runner(seen), s -> { });

    assertEquals(ExitReason.AGENT, r.exitReason());
    assertEquals(3, r.steps().size());
    assertEquals(List.of("file_editor", "search", "execute_bash", "finish"),
        model.offered.get(0).stream().map(ToolDefinition::name).toList(), "every request offers the four tools");
    assertEquals(new Action("search", java.util.Map.of("search_term", "wrap")),
        ((ParsedResponse.Found) seen.get(0)).action());
    assertEquals("<function=search>\n  <parameter=search_term>wrap</parameter>\n</function>", r.steps().get(0).action(),
        "actions are recorded in text form whichever mode made them");

    final List<ChatMessage> second = model.requests.get(1);
    final ChatMessage assistant = second.get(2);
    assertEquals(ChatMessage.ASSISTANT, assistant.role());
    assertEquals("thinking", assistant.content());
    assertEquals("c1", assistant.toolCalls().get(0).id());
    final ChatMessage tool = second.get(3);
    assertEquals(ChatMessage.TOOL, tool.role());
    assertEquals("c1", tool.toolCallId(), "the tool message answers the call by its id");
    assertEquals("ran search\nSteps Remaining: 39", tool.content(), "the countdown rides on the tool message");

    assertTrue(seen.get(1) instanceof ParsedResponse.NoFunctionCall);
    final List<ChatMessage> third = model.requests.get(2);
    assertEquals(new ChatMessage("assistant", "I will just talk."), third.get(4));
    assertEquals("user", third.get(5).role(), "a turn without a call is answered by a user message");
    assertTrue(third.get(5).content().startsWith("no call: Call one of the offered functions"), third.get(5).content());
  }

  @Test
  void aCallWithoutAnIdGetsOneSoThatItsToolMessageCanAnswerIt() {
    final AgentModel.Reply reply = call("", "search", "{}");
    final List<ChatMessage> turn = AgentMode.FUNCTION_CALLING.turn(reply,
        new ActionRunner.Turn("thinking", "", "obs", false), 7);
    assertEquals("call_7", turn.get(0).toolCalls().get(0).id());
    assertEquals("call_7", turn.get(1).toolCallId());
  }

  @Test
  void textModeKeepsThoughtAndNormalisedCallAndOffersNoTools() {
    final ListModel model = new ListModel(
        new AgentModel.Reply("look\n<function=search>\n<parameter=search_term> wrap </parameter>\n</function>",
            TokenUsage.UNKNOWN),
        new AgentModel.Reply("done\n<function=finish>\n<parameter=command>submit</parameter>\n</function>",
            TokenUsage.UNKNOWN));
    final EditingAgent.Result r = new EditingAgent(model, AgentMode.TEXT, AgentLimits.defaults(), 0.0)
        .run("the issue", runner(new ArrayList<>()), s -> { });
    assertEquals(ExitReason.AGENT, r.exitReason());
    assertTrue(model.offered.get(0).isEmpty());
    assertEquals("look\n\n<function=search>\n  <parameter=search_term>wrap</parameter>\n</function>",
        model.requests.get(1).get(2).content());
    assertEquals("user", model.requests.get(1).get(3).role());
  }

  @Test
  void aResponseCutAtTheCompletionBudgetIsToldSoInsteadOfBeingTakenForNoCall() {
    final AgentLimits limits = AgentLimits.defaults();
    final AgentModel.Reply cut = new AgentModel.Reply("Let me edit.\n<function=file_editor>\n<parameter=command>"
        + "create</parameter>\n<parameter=file_text>" + "x = 1\n".repeat(50), new TokenUsage(5, 5, 10), List.of(),
        AgentModel.Reply.LENGTH);
    final ListModel model = new ListModel(cut,
        new AgentModel.Reply("<function=finish>\n<parameter=command>submit</parameter>\n</function>",
            TokenUsage.UNKNOWN));
    final List<ParsedResponse> seen = new ArrayList<>();
    new EditingAgent(model, AgentMode.TEXT, limits, 0.0).run("the issue", runner(seen), s -> { });
    final ParsedResponse.Malformed m = (ParsedResponse.Malformed) seen.get(0);
    assertEquals(String.format(EditingAgent.TRUNCATED, limits.maxCompletionTokens()), m.reason());
    assertEquals("Let me edit.", m.thought());

    final AgentModel.Reply longButComplete = new AgentModel.Reply(
        "<function=finish>\n<parameter=command>submit</parameter>\n</function>", TokenUsage.UNKNOWN, List.of(),
        AgentModel.Reply.LENGTH);
    assertTrue(new EditingAgent(model, AgentMode.TEXT, limits, 0.0).parse(longButComplete)
        instanceof ParsedResponse.Found, "a complete call is run even when the budget ran out after it");
  }

  @Test
  void condensationAlsoShortensToolMessagesAndKeepsTheirCallIds() {
    final EditingAgent a = agent(AgentLimits.defaults().withCondenseAbove(100));
    final List<ChatMessage> m = new ArrayList<>(List.of(ChatMessage.system("s"), ChatMessage.user("the issue"),
        ChatMessage.assistant("", List.of(new ToolCall("c1", "search", "{}"))), ChatMessage.tool("c1",
            "y".repeat(800)), ChatMessage.assistant("", List.of(new ToolCall("c2", "search", "{}"))),
        ChatMessage.tool("c2", "z")));
    a.condense(m);
    assertEquals(EditingAgent.CONDENSED, m.get(3).content());
    assertEquals("c1", m.get(3).toolCallId());
    assertEquals("z", m.get(5).content());
  }

  @Test
  void eachLimitEndsTheLoopWithItsExitReason() {
    final AgentModel.Reply search = new AgentModel.Reply("<function=search>\n<parameter=search_term>x</parameter>\n"
        + "</function>", new TokenUsage(100, 10, 110));
    final AgentModel.Reply finish = new AgentModel.Reply("<function=finish>\n<parameter=command>submit</parameter>\n"
        + "</function>", new TokenUsage(100, 10, 110));
    final AgentModel.Reply big = new AgentModel.Reply(search.content(), new TokenUsage(5000, 10, 5010));

    assertEquals(ExitReason.TOKEN_LIMIT, loop(AgentLimits.defaults().withMaxTokens(5000), search, big));
    assertEquals(ExitReason.ABS_STEP_LIMIT, loop(AgentLimits.defaults().withSteps(2, 4), search));
    assertEquals(ExitReason.TRAJ_TIME_LIMIT, loop(AgentLimits.defaults().withMaxTotalTime(Duration.ZERO), search));
    assertEquals(ExitReason.AGENT, loop(AgentLimits.defaults().withSteps(3, 5), search, finish));
    assertEquals(ExitReason.MAX_STEP_LIMIT, loop(AgentLimits.defaults().withSteps(3, 5), search, search, finish));
    assertEquals(ExitReason.AGENT_MAX_STEP_LIMIT, loop(AgentLimits.defaults().withSteps(3, 5), search, search, search,
        finish));
  }

  private static ExitReason loop(final AgentLimits limits, final AgentModel.Reply... replies) {
    final ListModel model = new ListModel(replies);
    final EditingAgent.Result r = new EditingAgent(model, AgentMode.TEXT, limits, 0.0)
        .run("the issue", runner(new ArrayList<>()), s -> { });
    assertEquals(r.steps().size(), model.requests.size(), "one model call per step");
    return r.exitReason();
  }
}
