package io.r2estream.verifier.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.agent.AgentPrompts;
import io.r2estream.avro.Trajectory;
import io.r2estream.llm.TokenEstimates;
import io.r2estream.verifier.judge.Trajectories.Step;
import org.junit.jupiter.api.Test;

/** The judge's messages: the exact frame, the final patch without new files, and the context-budget condensation. */
class JudgeInputTest {

  private static final String EDIT = "diff --git a/pkg/mod.py b/pkg/mod.py\n"
      + "index 1111111..2222222 100644\n--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1 +1 @@\n-x = 1\n+x = 2\n";
  private static final String NEW_FILE = "diff --git a/reproduce_issue.py b/reproduce_issue.py\n"
      + "new file mode 100644\nindex 0000000..3333333\n--- /dev/null\n+++ b/reproduce_issue.py\n@@ -0,0 +1 @@\n"
      + "+print(1)\n";

  @Test
  void rendersTheFrameOfASmallTrajectoryExactly() {
    final JudgePrompt prompt = JudgePrompt.standard();
    final Trajectory t = Trajectories.of("t/run-1/0", "t", "x should be 2", NEW_FILE + EDIT,
        new Step("Look at the module.", "<function=search>\n<parameter=term>x</parameter>\n</function>", "mod.py:1"),
        new Step("", "<function=finish>\n</function>", "done"));

    final JudgeInput input = JudgeInput.of(prompt, t, JudgeInput.DEFAULT_MAX_CONTEXT_TOKENS);

    assertEquals(2, input.messages().size());
    assertEquals("system", input.messages().get(0).role());
    assertEquals(prompt.system(), input.system());
    assertTrue(input.system().contains("<judgement>YES</judgement>") && input.system().contains(
        "<judgement>NO</judgement>"), input.system());
    final String expected = "Please assess the following interaction between an AI assistant and a user:\n\n"
        + "=== INTERACTION LOG ===\n\n"
        + "[SYSTEM]\n" + prompt.system() + "\n[/SYSTEM]\n\n"
        + "[USER]\nYou are a software engineer working in a code repository. A user has reported the issue below;"
        + " your job is to resolve it.\n\nIssue:\nx should be 2\n\nStudy the issue and implement a fix.\n[/USER]"
        + "\n\n[STEP]\n0\n[/STEP]"
        + "\n\n[ASSISTANT]\nLook at the module.\n\n<function=search>\n<parameter=term>x</parameter>\n</function>"
        + "\n[/ASSISTANT]"
        + "\n\n[USER]\nmod.py:1\n[/USER]"
        + "\n\n[STEP]\n1\n[/STEP]"
        + "\n\n[ASSISTANT]\n<function=finish>\n</function>\n[/ASSISTANT]"
        + "\n\n[USER]\ndone\n[/USER]"
        + "\n\n=== END INTERACTION ===\n\n=== FINAL PATCH ===\n\n[PATCH]\n" + EDIT + "\n[/PATCH]\n\n"
        + "=== END FINAL PATCH ===\n\n"
        + "Given the interaction above, did the assistant resolve the user's original request? Answer YES or NO.";
    assertEquals(expected, input.user());
    assertEquals(0, input.condensed());
    assertEquals(TokenEstimates.of(expected), input.estimatedTokens());
    assertEquals(JudgeInput.DEFAULT_MAX_CONTEXT_TOKENS - TokenEstimates.of(prompt.system() + JudgeInput.ANSWER)
        - JudgeInput.MARGIN_TOKENS, input.budgetTokens());
  }

  @Test
  void theAgentPromptVariantLogsTheEditingAgentsOwnPrompts() {
    final AgentPrompts agent = AgentPrompts.textMode();
    final JudgeInput input = JudgeInput.of(JudgePrompt.loggingAgentPrompts(agent),
        Trajectories.of("t/r/0", "t", "the bug", ""), JudgeInput.DEFAULT_MAX_CONTEXT_TOKENS);
    assertTrue(input.user().contains("[SYSTEM]\n" + agent.system() + "\n[/SYSTEM]\n\n[USER]\n"
        + agent.instance("the bug") + "\n[/USER]"), input.user());
    assertEquals(JudgePrompt.standard().system(), input.system());
  }

  @Test
  void finalPatchKeepsOnlyFilesThatExistedAtTheBaseCommit() {
    assertEquals(EDIT + EDIT.replace("pkg/mod.py", "pkg/other.py"),
        FinalPatch.onlyExistingFiles(EDIT + NEW_FILE + EDIT.replace("pkg/mod.py", "pkg/other.py")));
    assertEquals("", FinalPatch.onlyExistingFiles(NEW_FILE));
    assertEquals("", FinalPatch.onlyExistingFiles(""));
  }

  @Test
  void condensesTheLongestThoughtFirstAndSparesTheFirstStep() {
    // Thoughts: step 0 is the longest of all but must survive; step 2 (3,000 chars) goes before step 1 (2,000).
    final Trajectory t = Trajectories.of("t/r/0", "t", "p", EDIT,
        new Step(Trajectories.repeat('a', 5_000), "act0", "obs0"),
        new Step(Trajectories.repeat('b', 2_000), "act1", "obs1"),
        new Step(Trajectories.repeat('c', 3_000), "act2", "obs2"),
        new Step("short", "act3", "obs3"));
    final JudgePrompt prompt = JudgePrompt.standard();
    final int fixed = TokenEstimates.of(prompt.system() + JudgeInput.ANSWER) + JudgeInput.MARGIN_TOKENS;
    final int full = JudgeInput.of(prompt, t, 1_000_000).estimatedTokens();

    // A budget 100 tokens (400 chars) short: condensing the 3,000-char thought is enough.
    final JudgeInput one = JudgeInput.of(prompt, t, fixed + full - 100);
    assertEquals(1, one.condensedThoughts());
    assertEquals(0, one.condensedObservations());
    assertFalse(one.overBudget());
    assertTrue(one.user().contains(Trajectories.repeat('a', 5_000)), "the first step's thought is spared");
    assertTrue(one.user().contains(Trajectories.repeat('b', 2_000)));
    assertFalse(one.user().contains(Trajectories.repeat('c', 3_000)));
    assertTrue(one.user().contains("[ASSISTANT]\n" + JudgeInput.CONDENSED_THOUGHT + "\n\nact2\n[/ASSISTANT]"),
        one.user());
    assertEquals(TokenEstimates.of(one.user()), one.estimatedTokens(), "the running count matches the text");

    // 800 tokens short: both long thoughts go; "short" is shorter than the placeholder and stays.
    final JudgeInput two = JudgeInput.of(prompt, t, fixed + full - 800);
    assertEquals(2, two.condensedThoughts());
    assertTrue(two.user().contains(Trajectories.repeat('a', 5_000)));
    assertTrue(two.user().contains("short\n\nact3"));
    assertEquals(TokenEstimates.of(two.user()), two.estimatedTokens());
  }

  @Test
  void condensesTheLongestObservationsOnceNoThoughtIsLeft() {
    final Trajectory t = Trajectories.of("t/r/0", "t", "p", EDIT,
        new Step(Trajectories.repeat('a', 1_000), "act0", Trajectories.repeat('x', 4_000)),
        new Step(Trajectories.repeat('b', 1_000), "act1", Trajectories.repeat('y', 6_000)),
        new Step("", "act2", Trajectories.repeat('z', 2_000)));
    final JudgePrompt prompt = JudgePrompt.standard();
    final int fixed = TokenEstimates.of(prompt.system() + JudgeInput.ANSWER) + JudgeInput.MARGIN_TOKENS;
    final int full = JudgeInput.of(prompt, t, 1_000_000).estimatedTokens();

    // 1,000 tokens short: step 1's thought (~250 tokens) is not enough, the 6,000-char observation (~1,500) is.
    final JudgeInput input = JudgeInput.of(prompt, t, fixed + full - 1_000);
    assertEquals(1, input.condensedThoughts());
    assertEquals(1, input.condensedObservations());
    assertEquals(2, input.condensed());
    assertFalse(input.user().contains(Trajectories.repeat('y', 6_000)));
    assertTrue(input.user().contains(Trajectories.repeat('x', 4_000)));
    assertTrue(input.user().contains("[USER]\n" + JudgeInput.CONDENSED_OBSERVATION + "\n[/USER]"));
    assertFalse(input.overBudget());

    // A budget nothing can meet: everything condensable is condensed and the message says it is over budget.
    final JudgeInput tiny = JudgeInput.of(prompt, t, fixed + 10);
    assertEquals(1, tiny.condensedThoughts());
    assertEquals(3, tiny.condensedObservations());
    assertTrue(tiny.overBudget());
    assertEquals(TokenEstimates.of(tiny.user()), tiny.estimatedTokens());
  }

  @Test
  void rejectsAUserTemplateWithoutItsPlaceholders() {
    assertThrows(IllegalArgumentException.class, () -> new JudgePrompt("s", "s", "{problem_statement}",
        "{patch} before {interaction}"));
  }
}
