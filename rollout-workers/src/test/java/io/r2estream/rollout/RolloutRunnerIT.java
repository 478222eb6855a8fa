package io.r2estream.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.agent.Action;
import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.EmptySubmitModel;
import io.r2estream.agent.LlmModel;
import io.r2estream.agent.Observations;
import io.r2estream.agent.OracleModel;
import io.r2estream.agent.ReplayModel;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.envbuilder.ValidatedSampleTaskExtension;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.reward.TaskGrader;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rollouts on a task of the sample project, in real containers: the editing agent driven by the scripted LLM server
 * (view, edit, run the tests, finish) resolves it with reward 1, in text mode and in function-calling mode; a
 * replay of a recorded trajectory reproduces its patch and reward; the oracle resolves it through the tools; the
 * empty submit does not; malformed model output gets its documented observations and the step limit its exit.
 */
class RolloutRunnerIT {

  private static final String OWNER = "r2e-test-rollout";
  private static final String WRAP = "wrap: allow a line to fill the whole width";
  @RegisterExtension
  static final ValidatedSampleTaskExtension SAMPLE = new ValidatedSampleTaskExtension(OWNER, "textkit-rollout", WRAP);
  private static RolloutRunner runner;

  @BeforeAll
  static void aRunnerOnTheTask() {
    runner = new RolloutRunner(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
        new TaskGrader(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
            TaskGrader.Settings.defaults()),
        SAMPLE.cacheDir(), Clock.systemUTC());
  }

  private static RolloutRequest request(final String model, final int sample) {
    return RolloutRequest.newBuilder().setRolloutId(SAMPLE.task().getInstanceId() + "/run-1/" + sample)
        .setTaskId(SAMPLE.task().getInstanceId()).setRunId("run-1").setSample(sample).setModel(model)
        .setRequestedAt(Instant.now()).build();
  }

  @Test
  void theAgentDrivenByAScriptedModelViewsEditsTestsAndFinishesWithReward1() {
    final String edit = OracleModelPlan.first(SAMPLE.task().getPatch());
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(
          ScriptedReply.completion("Let me look at the code.\n<function=file_editor>\n<parameter=command>view"
              + "</parameter>\n<parameter=path>/testbed/textkit/wrap.py</parameter>\n</function>"),
          ScriptedReply.completion("The width check is off by one.\n" + edit),
          ScriptedReply.completion("Run the existing tests.\n<function=execute_bash>\n<parameter=cmd>python -m "
              + "pytest -q tests/test_wrap.py</parameter>\n</function>"),
          ScriptedReply.completion("Done.\n<function=finish>\n<parameter=command>submit</parameter>\n</function>"));
      final LlmClient client = new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k"));
      final List<TrajectoryStep> live = new ArrayList<>();
      final RolloutRunner.Outcome o = runner.run(SAMPLE.task(), request("scripted", 0),
          new LlmModel(client, "scripted"), AgentLimits.defaults(), live::add);

      assertEquals("agent", o.trajectory().getExitReason());
      assertEquals(4, o.trajectory().getSteps().size());
      assertEquals(o.trajectory().getSteps(), live, "every step was published live, in order");
      final List<TrajectoryStep> s = o.trajectory().getSteps();
      assertTrue(s.get(0).getObservation().startsWith("Execution output of [file_editor]:"), s.get(0).getObservation());
      assertTrue(s.get(0).getObservation().contains("def wrap("), s.get(0).getObservation());
      assertTrue(s.get(1).getObservation().contains("has been edited"), s.get(1).getObservation());
      assertTrue(s.get(2).getObservation().startsWith("Exit code: 0\nExecution output of [execute_bash]:"),
          s.get(2).getObservation());
      assertEquals(Observations.FINISHED, s.get(3).getObservation());
      assertTrue(s.get(3).getDone());
      assertTrue(o.trajectory().getOutputPatch().contains("+++ b/textkit/wrap.py"), o.trajectory().getOutputPatch());
      assertEquals(1.0, o.trajectory().getReward());
      assertEquals(40, o.trajectory().getPromptTokens(), "4 calls x 10 scripted prompt tokens");
      assertTrue(llm.requests().get(0).lastMessageContent().contains("Steps Remaining: 40"));
      assertTrue(llm.requests().get(0).lastMessageContent().contains("<github_issue>"));
      assertEquals(o.trajectory().getOutputPatch(), o.candidate().getPatch());
    }
  }

  private static RolloutRequest request(final String model, final int sample, final AgentMode mode) {
    return RolloutRequest.newBuilder(request(model, sample))
        .setAgentConfig(Map.of(AgentMode.AGENT_CONFIG_KEY, mode.id())).build();
  }

  @Test
  void inFunctionCallingModeTheToolCallsAreRunAndAnsweredAndAReplayReproducesTheRollout()
      throws Exception {
    final Action fix = OracleModel.plan(SAMPLE.task().getPatch(), "/testbed").get(0);
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(
          ScriptedReply.completion("Let me look at the code.").toolCall("call_a", "file_editor",
              "{\"command\": \"view\", \"path\": \"/testbed/textkit/wrap.py\", \"view_range\": [1, 20]}"),
          ScriptedReply.toolCalls("call_b", "file_editor", "{\"command\": \"str_replace\", \"path\": "),
          ScriptedReply.completion("The width check is off by one.").toolCall("call_c", "file_editor",
              fix.argumentsJson()),
          ScriptedReply.toolCalls("call_d", "execute_bash", "{\"cmd\": \"python -m pytest -q tests/test_wrap.py\"}"),
          ScriptedReply.completion("Done.").toolCall("call_e", "finish", "{\"command\": \"submit\"}"));
      final LlmClient client = new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k"));
      final RolloutRunner.Outcome o = runner.run(SAMPLE.task(), request("scripted", 5, AgentMode.FUNCTION_CALLING),
          new LlmModel(client, "scripted"), AgentLimits.defaults(), s -> { });

      assertEquals("agent", o.trajectory().getExitReason());
      assertEquals("function_calling", o.trajectory().getAgentMode());
      final List<TrajectoryStep> s = o.trajectory().getSteps();
      assertEquals(5, s.size());
      assertTrue(s.get(0).getObservation().contains("def wrap("), s.get(0).getObservation());
      assertTrue(s.get(1).getObservation().startsWith("ERROR: your function call could not be parsed: the arguments "
          + "of tool call 'file_editor' are not valid JSON"), s.get(1).getObservation());
      assertTrue(s.get(1).getObservation().endsWith("Call one of the offered functions with a JSON object of its "
          + "parameters as arguments."), s.get(1).getObservation());
      assertTrue(s.get(2).getObservation().contains("has been edited"), s.get(2).getObservation());
      assertTrue(s.get(3).getObservation().startsWith("Exit code: 0"), s.get(3).getObservation());
      assertEquals(1.0, o.trajectory().getReward(), o.grade().detail());

      final JsonNode first = new ObjectMapper().readTree(llm.requests().get(0).body());
      assertEquals(4, first.path("tools").size(), "every request offers the four tools");
      final JsonNode second = new ObjectMapper().readTree(llm.requests().get(1).body()).path("messages");
      assertEquals("call_a", second.get(2).path("tool_calls").get(0).path("id").asText());
      assertEquals("tool", second.get(3).path("role").asText());
      assertEquals("call_a", second.get(3).path("tool_call_id").asText());
      assertTrue(second.get(3).path("content").asText().endsWith("Steps Remaining: 39"));

      final RolloutRunner.Outcome replay = runner.run(SAMPLE.task(),
          request(ReplayModel.NAME, 6, AgentMode.FUNCTION_CALLING), ReplayModel.of(o.trajectory()),
          AgentLimits.defaults(), x -> { });
      assertEquals(o.trajectory().getOutputPatch(), replay.trajectory().getOutputPatch());
      assertEquals(1.0, replay.trajectory().getReward());
      assertEquals("function_calling", replay.trajectory().getAgentMode());
      final List<TrajectoryStep> r = replay.trajectory().getSteps();
      assertEquals(5, r.size());
      for (final int i : new int[] {0, 2, 4}) {
        assertEquals(s.get(i).getAction(), r.get(i).getAction(), "step " + i + " re-issues the recorded action");
        assertEquals(s.get(i).getObservation(), r.get(i).getObservation(), "step " + i + " sees what it saw");
      }
      assertEquals(Observations.CONTINUE_MSG, r.get(1).getObservation(),
          "a recorded step without a readable call is re-issued as its thought alone");
    }
  }

  @Test
  void theOracleResolvesTheTaskThroughTheToolsAndTheEmptySubmitDoesNot() {
    final RolloutRunner.Outcome oracle = runner.run(SAMPLE.task(), request("oracle", 1),
        new OracleModel(SAMPLE.task().getPatch(), "/testbed"), AgentLimits.defaults(), s -> { });
    assertEquals("agent", oracle.trajectory().getExitReason());
    assertEquals(1.0, oracle.trajectory().getReward(), oracle.grade().detail());

    final RolloutRunner.Outcome empty = runner.run(SAMPLE.task(), request("empty-submit", 2), new EmptySubmitModel(),
        AgentLimits.defaults(), s -> { });
    assertEquals("agent", empty.trajectory().getExitReason());
    assertEquals(1, empty.trajectory().getSteps().size());
    assertEquals("", empty.trajectory().getOutputPatch());
    assertEquals(0.0, empty.trajectory().getReward(), empty.grade().detail());
  }

  @Test
  void malformedOutputGetsItsObservationsAndTheHardStepLimitEndsTheRollout() {
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(ScriptedReply.completion("I think the bug is in wrap."),
          ScriptedReply.completion("<function=file_editor>\n<parameter=command>view</parameter>"),
          ScriptedReply.completion("<function=teleport>\n<parameter=where>/</parameter>\n</function>"));
      final LlmClient client = new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k"));
      final RolloutRunner.Outcome o = runner.run(SAMPLE.task(), request("scripted", 3),
          new LlmModel(client, "scripted"), AgentLimits.defaults().withSteps(2, 3), s -> { });
      final List<TrajectoryStep> s = o.trajectory().getSteps();
      assertEquals("abs_step_limit", o.trajectory().getExitReason());
      assertEquals(Observations.CONTINUE_MSG, s.get(0).getObservation());
      assertTrue(s.get(1).getObservation().startsWith("ERROR: your function call could not be parsed"),
          s.get(1).getObservation());
      assertTrue(s.get(2).getObservation().toLowerCase().contains("teleport"), s.get(2).getObservation());
      assertTrue(llm.requests().get(2).lastMessageContent().endsWith("You have reached the maximum number of steps. "
          + "Please submit your answer NOW."), "past the advised steps the countdown says so");
      assertEquals(0.0, o.trajectory().getReward());
    }
  }

  @Test
  void anLlmThatKeepsFailingEndsTheRolloutWithLlmQueryError() {
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.otherwise(r -> ScriptedReply.error(500, "down"));
      final LlmClient client = new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k")
          .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(20)));
      final RolloutRunner.Outcome o = runner.run(SAMPLE.task(), request("scripted", 4),
          new LlmModel(client, "scripted"), AgentLimits.defaults(), s -> { });
      assertEquals("llm_query_error", o.trajectory().getExitReason());
      assertEquals(0, o.trajectory().getSteps().size());
    }
  }
}
