package io.r2estream.rollout;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.AgentModel;
import io.r2estream.agent.EditingAgent;
import io.r2estream.agent.ToolBox;
import io.r2estream.agent.ToolBoxRunner;
import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.recipes.RepositoryRecipe;
import io.r2estream.reward.TaskGrade;
import io.r2estream.reward.TaskGrader;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One rollout, start to reward: a fresh container of the task's env image at the base commit (no hidden tests, no
 * later history, no network), the editing agent against its model with the container's tools, the output patch
 * (scratch files left out), and then — in another fresh container the agent never saw — the reward on the hidden
 * tests. Steps are handed to {@code live} as they end.
 */
public final class RolloutRunner {

  /** The outcome: the trajectory (with its reward), the candidate patch, and the grade behind the reward. */
  public record Outcome(Trajectory trajectory, CandidatePatch candidate, TaskGrade grade) {
  }

  private final ContainerRuntime runtime;
  private final EnvImages images;
  private final TaskMaterializer materializer;
  private final RecipeRegistry recipes;
  private final TaskGrader grader;
  private final Path repoCacheDir;
  private final Clock clock;

  public RolloutRunner(final ContainerRuntime runtime, final EnvImages images, final TaskMaterializer materializer,
      final RecipeRegistry recipes, final TaskGrader grader, final Path repoCacheDir, final Clock clock) {
    this.runtime = runtime;
    this.images = images;
    this.materializer = materializer;
    this.recipes = recipes;
    this.grader = grader;
    this.repoCacheDir = repoCacheDir;
    this.clock = clock;
  }

  public Outcome run(final TaskInstance task, final RolloutRequest request, final AgentModel model,
      final AgentLimits limits, final Consumer<TrajectoryStep> live) {
    final Instant started = clock.instant();
    final AgentMode mode = AgentMode.of(request.getAgentConfig());
    try (HostRepository repo = HostRepository.open(task.getRepo(), task.getSourceUrl(), repoCacheDir)) {
      final RepositoryRecipe recipe = recipes.forRepository(task.getRepo());
      final EnvImage image = images.forTask(task, repo, recipe);
      final Container ctr = materializer.start(image, repo, task.getBaseCommit(), "r2e-rollout-",
          Map.of("io.r2estream.rollout", request.getRolloutId()));
      final List<TrajectoryStep> steps = new ArrayList<>();
      final EditingAgent.Result result;
      final String patch;
      try {
        final ToolBox tools = new ToolBox(runtime, ctr, new ToolBox.Settings(limits.maxExecTime(), true));
        final EditingAgent agent = new EditingAgent(model, mode, limits,
            request.getTemperature());
        final long t0 = System.nanoTime();
        result = agent.run(task.getProblemStatement(), new ToolBoxRunner(tools), s -> {
          final TrajectoryStep step = step(request, s, (System.nanoTime() - t0) / 1e9);
          steps.add(step);
          live.accept(step);
        });
        patch = tools.outputPatch(task.getBaseCommit());
      } finally {
        runtime.remove(ctr);
      }
      final TaskGrade grade = grader.grade(task, patch, repo);
      final Double reward = grade.status() == GradeStatus.INFRA_ERROR || grade.status() == GradeStatus.ERROR ? null
          : grade.resolved() ? 1.0 : 0.0;
      final Instant finished = clock.instant();
      R2eMetrics.timer(R2eMetrics.registry(), MeterNames.ROLLOUT_DURATION, MeterNames.OUTCOME,
          result.exitReason().id()).record(Duration.between(started, finished));
      final Trajectory trajectory = Trajectory.newBuilder()
          .setRolloutId(request.getRolloutId()).setTaskId(task.getInstanceId()).setRunId(request.getRunId())
          .setSample(request.getSample()).setModel(model.name()).setProblemStatement(task.getProblemStatement())
          .setDockerImage(image.tag()).setSteps(steps).setMaxSteps(limits.maxSteps())
          .setMaxTokenLimit(limits.maxTokens()).setMaxExecTime(limits.maxExecTime().toMillis() / 1000.0)
          .setMaxTotalTime(limits.maxTotalTime().toMillis() / 1000.0).setExitReason(result.exitReason().id())
          .setOutputPatch(patch).setReward(reward).setTestOutput(grade.logTail())
          .setPromptTokens(result.promptTokens()).setCompletionTokens(result.completionTokens())
          .setStartedAt(started).setFinishedAt(finished).setAgentMode(mode.id()).build();
      final CandidatePatch candidate = CandidatePatch.newBuilder().setCandidateId(request.getRolloutId())
          .setTaskId(task.getInstanceId()).setRunId(request.getRunId()).setSample(request.getSample())
          .setModel(model.name()).setPatch(patch).setExitReason(result.exitReason().id()).setCreatedAt(finished)
          .setReward(reward).build();
      return new Outcome(trajectory, candidate, grade);
    }
  }

  private static TrajectoryStep step(final RolloutRequest request, final EditingAgent.Step s, final double total) {
    return TrajectoryStep.newBuilder().setRolloutId(request.getRolloutId()).setTaskId(request.getTaskId())
        .setStepIdx(s.index()).setThought(s.thought()).setAction(s.action()).setObservation(s.observation())
        .setDone(s.done()).setTokenUsagePrompt(s.promptTokens()).setTokenUsageCompletion(s.completionTokens())
        .setTokenUsageTotal(s.totalTokens()).setLlmExecTime(s.llmMillis() / 1000.0)
        .setEnvExecTime(s.envMillis() / 1000.0).setTotalStepTime((s.llmMillis() + s.envMillis()) / 1000.0)
        .setTotalTimeTraj(total).build();
  }
}
