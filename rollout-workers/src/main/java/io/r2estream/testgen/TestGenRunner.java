package io.r2estream.testgen;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.AgentModel;
import io.r2estream.agent.AgentPrompts;
import io.r2estream.agent.EditingAgent;
import io.r2estream.agent.ToolBox;
import io.r2estream.agent.ToolBoxRunner;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.PatchFiles;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.Patches;
import io.r2estream.verifier.execution.ExecutionVerifier;
import io.r2estream.verifier.execution.IssueVerdicts;
import io.r2estream.verifier.execution.ReproductionRun;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The testing agent (reference 4.7), one test patch of a task: the editing agent's loop and tools with the testing
 * prompts ({@link AgentPrompts#testing}) in a fresh container of the task's env image at the base commit (no
 * hidden tests), then the diff of {@code test_issue.py} alone (whatever else the agent touched is left out: a test
 * patch must not carry a fix), then that test run at the base commit in another fresh container
 * ({@link ExecutionVerifier#reproduction} with no candidate): a test that prints no "Issue reproduced" line there is
 * published as not reproducing, with its output, rather than dropped, so that its use downstream is a decision.
 */
public final class TestGenRunner {

  /** The outcome: the test patch record, the agent's run, and the check at the base commit (null without a test). */
  public record Outcome(TestGenPatch patch, EditingAgent.Result agent, ReproductionRun baseRun) {
  }

  private final ContainerRuntime runtime;
  private final EnvImages images;
  private final TaskMaterializer materializer;
  private final RecipeRegistry recipes;
  private final ExecutionVerifier verifier;
  private final Path repoCacheDir;
  private final Clock clock;

  public TestGenRunner(final ContainerRuntime runtime, final EnvImages images, final TaskMaterializer materializer,
      final RecipeRegistry recipes, final ExecutionVerifier verifier, final Path repoCacheDir, final Clock clock) {
    this.runtime = runtime;
    this.images = images;
    this.materializer = materializer;
    this.recipes = recipes;
    this.verifier = verifier;
    this.repoCacheDir = repoCacheDir;
    this.clock = clock;
  }

  /**
   * Runs the testing agent once on {@code task}. Platform failures while the agent runs propagate (the job is
   * redone); one while checking the test at the base commit is recorded in the patch's detail.
   */
  public Outcome run(final TaskInstance task, final String testgenId, final AgentModel model, final AgentMode mode,
      final AgentLimits limits, final Double temperature) {
    try (HostRepository repo = HostRepository.open(task.getRepo(), task.getSourceUrl(), repoCacheDir)) {
      final EnvImage image = images.forTask(task, repo, recipes.forRepository(task.getRepo()));
      final Container ctr = materializer.start(image, repo, task.getBaseCommit(), "r2e-testgen-",
          Map.of("io.r2estream.testgen", testgenId));
      final EditingAgent.Result result;
      final String patch;
      try {
        final ToolBox tools = new ToolBox(runtime, ctr, new ToolBox.Settings(limits.maxExecTime(), true));
        result = new EditingAgent(model, mode, AgentPrompts.testing(mode), limits, temperature)
            .run(task.getProblemStatement(), new ToolBoxRunner(tools), s -> { });
        patch = testFileDiff(new Patches(runtime).diff(ctr, task.getBaseCommit()));
      } finally {
        runtime.remove(ctr);
      }
      final TestGenPatch.Builder out = TestGenPatch.newBuilder().setTestgenId(testgenId)
          .setTaskId(task.getInstanceId()).setPatch(patch).setTestCommand(ExecutionVerifier.TEST_COMMAND)
          .setModel(model.name()).setExitReason(result.exitReason().id());
      if (patch.isEmpty()) {
        return new Outcome(out.setReproducesAtBase(false).setDetail("the agent wrote no /testbed/"
            + ExecutionVerifier.TEST_FILE + " (exit " + result.exitReason().id() + ")")
            .setCreatedAt(clock.instant()).build(), result, null);
      }
      final ReproductionRun base = verifier.reproduction(task, "", out.setCreatedAt(clock.instant()).build(), repo);
      final IssueVerdicts v = base.verdicts();
      final boolean reproduces = base.outcome() == ReproductionRun.Outcome.SCORED && v.reproduced() > 0;
      final String detail = switch (base.outcome()) {
        case SCORED -> reproduces ? "reproduces the issue at the base commit: " + base.detail()
            : "does not reproduce the issue at the base commit (no \"" + IssueVerdicts.REPRODUCED + "\" line): "
                + base.detail();
        case INFRA_ERROR -> "not checked at the base commit, infrastructure failure " + base.infraFailure() + ": "
            + base.detail();
        default -> "does not reproduce the issue at the base commit: " + base.detail();
      };
      return new Outcome(out.setReproducesAtBase(reproduces).setBaseOutputTail(base.outputTail())
          .setCasesReproduced(v.reproduced()).setCasesResolved(v.resolved()).setCasesOther(v.other())
          .setDetail(detail).setCreatedAt(clock.instant()).build(), result, base);
    }
  }

  /** The sections of {@code diff} that change {@value ExecutionVerifier#TEST_FILE} at the repository root. */
  public static String testFileDiff(final String diff) {
    final StringBuilder sb = new StringBuilder();
    for (final String s : PatchFiles.sections(diff)) {
      if (PatchFiles.path(s).equals(ExecutionVerifier.TEST_FILE)) {
        sb.append(s);
      }
    }
    return sb.toString();
  }
}
