package io.r2estream.testgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.LlmModel;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.envbuilder.ValidatedSampleTaskExtension;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.verifier.execution.ExecutionVerifier;
import io.r2estream.verifier.execution.TestIssueScripts;
import java.time.Clock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The testing agent on the sample project's wrap task, driven by the scripted LLM server in real containers: it is
 * given the testing prompts, its test_issue.py (and nothing else it touched) becomes the test patch, and the patch
 * is checked at the base commit in a fresh container: reproducing, not reproducing, or no test written at all.
 */
class TestGenRunnerIT {

  private static final String OWNER = "r2e-test-testgen";
  private static final String WRAP = "wrap: allow a line to fill the whole width";
  @RegisterExtension
  static final ValidatedSampleTaskExtension SAMPLE = new ValidatedSampleTaskExtension(OWNER, "textkit-testgen", WRAP);
  private static TestGenRunner runner;

  @BeforeAll
  static void aRunnerOnTheTask() {
    runner = new TestGenRunner(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
        new ExecutionVerifier(SAMPLE.runtime(), SAMPLE.images(), SAMPLE.materializer(), RecipeRegistry.defaults(),
            ExecutionVerifier.Settings.defaults(), Clock.systemUTC()), SAMPLE.cacheDir(), Clock.systemUTC());
  }

  private static String create(final String script) {
    return "I write the reproduction test.\n<function=file_editor>\n<parameter=command>create</parameter>\n"
        + "<parameter=path>/testbed/test_issue.py</parameter>\n<parameter=file_text>" + script
        + "</parameter>\n</function>";
  }

  private static final String FINISH = "Done.\n<function=finish>\n<parameter=command>submit</parameter>\n</function>";

  private static TestGenRunner.Outcome run(final ScriptedLlmServer llm, final String id) {
    final LlmClient client = new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k"));
    return runner.run(SAMPLE.task(), SAMPLE.task().getInstanceId() + "/testgen/" + id, new LlmModel(client, "scripted"),
        AgentMode.TEXT, AgentLimits.defaults(), 0.0);
  }

  @Test
  void theAgentsTestIssuePyAloneIsThePatchAndItReproducesTheIssueAtTheBaseCommit() {
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(
          ScriptedReply.completion(create(TestIssueScripts.WRAP_TEST)),
          ScriptedReply.completion("Run it.\n<function=execute_bash>\n<parameter=cmd>python test_issue.py"
              + "</parameter>\n</function>"),
          // A testing agent that also fixes the code: the fix must not reach the test patch.
          ScriptedReply.completion("And fix it.\n<function=file_editor>\n<parameter=command>str_replace</parameter>\n"
              + "<parameter=path>/testbed/textkit/wrap.py</parameter>\n<parameter=old_str>len(current) + 1 + "
              + "len(word) >= width</parameter>\n<parameter=new_str>len(current) + 1 + len(word) > width"
              + "</parameter>\n</function>"),
          ScriptedReply.completion(FINISH));
      final TestGenRunner.Outcome o = run(llm, "0");
      final TestGenPatch p = o.patch();

      final String system = llm.requests().get(0).json().path("messages").path(0).path("content").asText();
      assertTrue(system.contains("testing agent") && system.contains("without any test framework"), system);
      final String instance = llm.requests().get(0).lastMessageContent();
      assertTrue(instance.contains(SAMPLE.task().getProblemStatement().strip()), instance);
      assertTrue(instance.contains("At least 10 test cases") && instance.contains("Issue reproduced")
          && instance.contains("Issue resolved") && instance.contains("Other issues")
          && instance.contains("Do not fix the issue"), instance);
      assertTrue(llm.requests().get(2).body().contains("Test Case 1: Issue reproduced"),
          "the agent saw its test reproduce the issue");

      assertEquals("agent", p.getExitReason());
      assertEquals(SAMPLE.task().getInstanceId() + "/testgen/0", p.getTestgenId());
      assertEquals(SAMPLE.task().getInstanceId(), p.getTaskId());
      assertEquals(ExecutionVerifier.TEST_COMMAND, p.getTestCommand());
      assertTrue(p.getPatch().startsWith("diff --git a/test_issue.py b/test_issue.py"), p.getPatch());
      assertFalse(p.getPatch().contains("wrap.py b/"), "the agent's edit of the code is not in the test patch");
      assertTrue(p.getReproducesAtBase(), p.getDetail());
      assertEquals(2, p.getCasesReproduced(), p.getBaseOutputTail());
      assertEquals(1, p.getCasesResolved(), p.getBaseOutputTail());
      assertEquals(0, p.getCasesOther());
      assertTrue(p.getBaseOutputTail().contains("Test Case 3: Issue resolved"), p.getBaseOutputTail());
      assertTrue(p.getDetail().startsWith("reproduces the issue"), p.getDetail());
      assertEquals(0, SAMPLE.runtime().ownContainerIds().size(), "agent and check containers removed");
    }
  }

  @Test
  void aTestThatDoesNotReproduceAtTheBaseCommitIsRecordedAsSuch() {
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(ScriptedReply.completion(create("print('Test Case 1: Issue resolved')\n")),
          ScriptedReply.completion(FINISH));
      final TestGenPatch p = run(llm, "1").patch();

      assertFalse(p.getPatch().isEmpty());
      assertFalse(p.getReproducesAtBase());
      assertEquals(0, p.getCasesReproduced());
      assertEquals(1, p.getCasesResolved());
      assertTrue(p.getDetail().startsWith("does not reproduce the issue at the base commit"), p.getDetail());
    }
  }

  @Test
  void anAgentThatWritesNoTestGivesAnEmptyPatchWithItsReason() {
    try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      llm.enqueue(ScriptedReply.completion(FINISH));
      final TestGenRunner.Outcome o = run(llm, "2");

      assertEquals("", o.patch().getPatch());
      assertFalse(o.patch().getReproducesAtBase());
      assertNull(o.baseRun(), "nothing to check at the base commit");
      assertTrue(o.patch().getDetail().startsWith("the agent wrote no /testbed/test_issue.py"),
          o.patch().getDetail());
    }
  }
}
