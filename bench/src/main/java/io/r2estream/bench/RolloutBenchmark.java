package io.r2estream.bench;

import io.r2estream.agent.Action;
import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.OracleModel;
import io.r2estream.agent.ToolBox;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.backtranslation.ProblemStatements;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.reward.TaskGrader;
import io.r2estream.rollout.RolloutRunner;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.streams.tasks.TaskInstances;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rollout platform overhead, measured side by side in one run: a tool call through the agent's {@code ToolBox}
 * ({@code execute_bash true}: parse-free action, exec, observation rendering) against a bare {@code docker exec
 * <container> true} with the docker CLI, alternating, medians of 30; then rollouts per hour with the deterministic
 * oracle model (no LLM time: the platform's own cost: container, tools, patch, reward) on the sample's tasks, two
 * at once. Usage: {@code bench/rollouts.sh}.
 */
public final class RolloutBenchmark {

  private static final String OWNER = "r2e-bench-rollouts";

  private RolloutBenchmark() {
  }

  public static void main(final String[] args) throws Exception {
    final Path tmp = Files.createTempDirectory("r2e-bench-rollouts-");
    final List<EnvCandidate> candidates = ValidationBenchmark.sampleCandidates(tmp);
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      runtime.reapLeaked(OWNER);
      new PythonBaseImage(runtime).ensure();
      final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 4L << 30, 4096));
      final TaskMaterializer materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
      final RecipeRegistry recipes = RecipeRegistry.defaults();
      final List<TaskInstance> tasks = sampleTasks(candidates, runtime, images, materializer, recipes,
          tmp.resolve("cache"), OWNER);
      System.out.printf("sample history: %d tasks%n", tasks.size());

      // 1. Tool-call round trip vs bare docker exec, in one container, alternating.
      final TaskInstance first = tasks.get(0);
      final List<Double> tool = new ArrayList<>();
      final List<Double> bare = new ArrayList<>();
      try (HostRepository repo = HostRepository.open(first.getRepo(), first.getSourceUrl(), tmp.resolve("cache"))) {
        final EnvImage image = images.forTask(first, repo, recipes.forRepository(first.getRepo()));
        final Container ctr = materializer.start(image, repo, first.getBaseCommit(), "r2e-bench-", Map.of());
        try {
          final ToolBox box = new ToolBox(runtime, ctr, ToolBox.Settings.defaults());
          final Map<String, String> p = new LinkedHashMap<>();
          p.put("cmd", "true");
          final Action call = new Action("execute_bash", p);
          for (int i = 0; i < 35; i++) {
            long t = System.nanoTime();
            box.execute(call);
            final double a = (System.nanoTime() - t) / 1e6;
            t = System.nanoTime();
            final Process proc = new ProcessBuilder("docker", "exec", "-w", "/testbed", ctr.name(), "/bin/sh", "-c",
                "true").redirectErrorStream(true).start();
            proc.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            proc.waitFor();
            final double b = (System.nanoTime() - t) / 1e6;
            if (i >= 5) { // five warm-up pairs
              tool.add(a);
              bare.add(b);
            }
          }
        } finally {
          runtime.remove(ctr);
        }
      }

      // 2. Rollouts per hour with the oracle, two at once.
      final RolloutRunner runner = new RolloutRunner(runtime, images, materializer, recipes,
          new TaskGrader(runtime, images, materializer, recipes, TaskGrader.Settings.defaults()), tmp.resolve("cache"),
          Clock.systemUTC());
      final ExecutorService two = Executors.newFixedThreadPool(2);
      final long t = System.nanoTime();
      final List<Future<RolloutRunner.Outcome>> all = new ArrayList<>();
      for (final TaskInstance task : tasks) {
        final RolloutRequest r = RolloutRequest.newBuilder().setRolloutId(task.getInstanceId() + "/bench/0")
            .setTaskId(task.getInstanceId()).setRunId("bench").setSample(0).setModel("oracle")
            .setRequestedAt(Instant.now()).build();
        all.add(two.submit(() -> runner.run(task, r, new OracleModel(task.getPatch(), "/testbed"),
            AgentLimits.defaults(), s -> { })));
      }
      int resolved = 0;
      for (final Future<RolloutRunner.Outcome> f : all) {
        final Double reward = f.get().trajectory().getReward();
        resolved += reward != null && reward == 1.0 ? 1 : 0;
      }
      final double wall = (System.nanoTime() - t) / 1e6;
      two.shutdown();
      System.out.println();
      System.out.println("| measure | value |");
      System.out.println("|---|---|");
      System.out.printf("| tool call round trip (`execute_bash true` through ToolBox), median of 30 | %.0f ms |%n",
          median(tool));
      System.out.printf("| bare `docker exec <container> true` (docker CLI), median of 30 | %.0f ms |%n", median(bare));
      System.out.printf("| ratio (target <= 1.5) | %.2fx |%n", median(tool) / median(bare));
      System.out.printf("| oracle rollouts per hour, 2 at once (platform cost only: container, tools, patch, "
          + "reward) | %.0f (%d of %d resolved) |%n", tasks.size() * 3_600_000.0 / wall, resolved, tasks.size());
      runtime.reapLeaked(OWNER);
    }
  }

  /**
   * The sample history's validated tasks (NEW_COMMIT_BETTER), built the way the platform builds them: validation
   * in the sample env image, then the commit message as problem statement.
   */
  static List<TaskInstance> sampleTasks(final List<EnvCandidate> candidates, final DockerContainerRuntime runtime,
      final EnvImages images, final TaskMaterializer materializer, final RecipeRegistry recipes, final Path cache,
      final String owner) {
    final EnvValidator validator = new EnvValidator(runtime, images, materializer, recipes,
        new EnvValidator.Settings(1, false, cache, PythonBaseImage.DEFAULT_TAG, owner), Clock.systemUTC());
    final List<TaskInstance> tasks = new ArrayList<>();
    for (final EnvCandidate c : candidates) {
      final EnvValidation v = validator.validate(c);
      if (v.getStatus() == ValidationStatus.NEW_COMMIT_BETTER) {
        tasks.add(TaskInstances.from(v, ProblemStatements.fromCommitMessage(v, "bench", Instant.now())));
      }
    }
    return tasks;
  }

  static double median(final List<Double> xs) {
    final double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
