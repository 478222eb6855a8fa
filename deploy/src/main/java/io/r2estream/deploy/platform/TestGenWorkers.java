package io.r2estream.deploy.platform;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.LlmModel;
import io.r2estream.avro.TaskInstance;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.testgen.TestGenConfig;
import io.r2estream.testgen.TestGenRunner;
import io.r2estream.testgen.TestGenWorker;
import io.r2estream.topics.Topics;
import io.r2estream.verifier.execution.ExecutionVerifier;
import io.r2estream.verifier.execution.VerifierConfig;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The testing-agent workers of this process: a consumer group on the task topic, {@code r2e.testgen.samples} test
 * patches per task, up to {@code r2e.testgen.concurrency} tasks at once, against the configured LLM endpoint
 * ({@code r2e.llm.*}); exactly-once outputs, so a redone job leaves one set of patches. Without an endpoint nothing
 * starts (and the progress line says so). Containers carry an owner label of their own.
 */
public final class TestGenWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TestGenWorkers.class);
  private final ClosingStack running = new ClosingStack();

  private TestGenWorkers() {
  }

  public static TestGenWorkers start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl, final java.util.function.Consumer<String> progress) {
    final TestGenWorkers w = new TestGenWorkers();
    try {
      final Map<String, String> props = config.stringProperties();
      final TestGenConfig cfg = TestGenConfig.from(props);
      final LlmConfig llm = LlmConfig.from(props);
      if (!cfg.enabled() || llm.baseUrl() == null || llm.baseUrl().isBlank()) {
        progress.accept(String.format("  %-18s %s", "testing agents", cfg.enabled()
            ? "off: no LLM endpoint (r2e.llm.base-url)" : "off (" + TestGenConfig.ENABLED_CONFIG + ")"));
        return w;
      }
      final EnvBuilderConfig env = EnvBuilderConfig.from(props, config.dataDir());
      final String owner = SweGenWorkers.owner(config) + "/testgen";
      final DockerContainerRuntime runtime = w.running.push(WorkerContainers.openReaped(owner, "testing-agent", LOG));
      final Map<String, Object> kafka = config.kafkaClient(bootstrapServers);
      final EnvImages images = new EnvImages(runtime, env.baseImage(), env.buildLimits());
      final TaskMaterializer materializer = new TaskMaterializer(runtime, env.testLimits());
      final RecipeRegistry recipes = RecipeRegistry.fromConfig(props);
      final VerifierConfig verifier = VerifierConfig.from(props);
      final TestGenRunner runner = new TestGenRunner(runtime, images, materializer, recipes,
          new ExecutionVerifier(runtime, images, materializer, recipes, new ExecutionVerifier.Settings(null,
              verifier.reproductionTimeout(), "r2e-testgen-check-"), Clock.systemUTC()),
          env.repoCacheDir(), Clock.systemUTC());
      final String model = cfg.model().isBlank() ? llm.model() : cfg.model();
      final LlmModel agentModel = new LlmModel(new LlmClient(new LlmConfig(llm.baseUrl(), model, llm.apiKey(),
          llm.requestTimeout(), llm.maxRetries(), llm.initialBackoff(), llm.maxBackoff(), llm.maxConcurrency()),
          io.r2estream.metrics.MeterNames.ROLE_TESTGEN),
          model);
      final TestGenWorker job = new TestGenWorker(runner, agentModel, cfg.samples(),
          AgentLimits.defaults().withSteps(cfg.maxSteps(), cfg.maxSteps() + 10));
      final ExactlyOnceJobWorker<TaskInstance> worker = new ExactlyOnceJobWorker<>("r2e-testgen", Topics.TASKS,
          cfg.groupId(), kafka, registryUrl, cfg.concurrency(), job).start();
      w.running.push(worker);
      progress.accept(String.format("  %-18s %s", "testing agents", cfg.samples() + " tests per task, model "
          + model + ", concurrency " + cfg.concurrency()));
      return w;
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
  }

  @Override
  public void close() {
    running.close();
  }
}
