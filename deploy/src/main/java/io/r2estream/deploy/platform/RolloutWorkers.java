package io.r2estream.deploy.platform;

import io.r2estream.avro.RolloutRequest;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.reward.TaskGrader;
import io.r2estream.rollout.AgentModels;
import io.r2estream.rollout.RolloutConfig;
import io.r2estream.rollout.RolloutRunner;
import io.r2estream.rollout.RolloutWorker;
import io.r2estream.rollout.TrajectoryTopicLookup;
import io.r2estream.rollout.TaskCatalog;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.topics.Topics;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout workers of this process: a consumer group on rollout requests, up to {@code r2e.rollout.concurrency}
 * rollouts at once, with the task topic followed in memory. Their containers carry an owner label of their own, so
 * start-up reaping never touches the environment builders' containers.
 */
public final class RolloutWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutWorkers.class);
  private final ClosingStack running = new ClosingStack();

  private RolloutWorkers() {
  }

  public static RolloutWorkers start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl, final java.util.function.Consumer<String> progress) {
    final RolloutWorkers w = new RolloutWorkers();
    try {
      final Map<String, String> props = config.stringProperties();
      final RolloutConfig cfg = RolloutConfig.from(props);
      final EnvBuilderConfig env = EnvBuilderConfig.from(props, config.dataDir());
      final String owner = owner(config);
      final DockerContainerRuntime runtime = w.running.push(WorkerContainers.openReaped(owner, "rollout", LOG));
      final Map<String, Object> kafka = config.kafkaClient(bootstrapServers);
      final TaskCatalog tasks = new TaskCatalog(kafka, registryUrl);
      w.running.push(tasks);
      final EnvImages images = new EnvImages(runtime, env.baseImage(), env.buildLimits());
      final TaskMaterializer materializer = new TaskMaterializer(runtime, env.testLimits());
      final RecipeRegistry recipes = RecipeRegistry.fromConfig(props);
      final RolloutRunner runner = new RolloutRunner(runtime, images, materializer, recipes,
          new TaskGrader(runtime, images, materializer, recipes, TaskGrader.Settings.defaults()),
          env.repoCacheDir(), Clock.systemUTC());
      final RolloutWorker job = new RolloutWorker(tasks, new AgentModels(LlmConfig.from(props),
          new TrajectoryTopicLookup(kafka, registryUrl)), runner,
          cfg.taskWait(), kafka, registryUrl);
      w.running.push(job);
      // Trajectories and candidates are not compacted: exactly-once, so a redone rollout leaves one trajectory.
      final ExactlyOnceJobWorker<RolloutRequest> worker = new ExactlyOnceJobWorker<>("r2e-rollout",
          Topics.ROLLOUT_REQUESTS, cfg.groupId(), kafka, registryUrl, cfg.concurrency(), job).start();
      w.running.push(worker);
      progress.accept(String.format("  %-18s %s", "rollout workers", "concurrency " + cfg.concurrency()));
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  /**
   * The owner label of this process's rollout containers: host and data directory, so a restart of the same
   * process (same data directory) reaps what a crash left, and never another process's containers.
   */
  public static String owner(final PlatformConfig config) {
    return SweGenWorkers.owner(config) + "/rollout";
  }

  @Override
  public void close() {
    running.close();
  }
}
