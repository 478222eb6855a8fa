package io.r2estream.deploy.platform;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.rollout.TaskCatalog;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.testgen.TestGenConfig;
import io.r2estream.topics.Topics;
import io.r2estream.verifier.execution.ExecutionVerifier;
import io.r2estream.verifier.execution.ExecutionVerifierWorker;
import io.r2estream.verifier.execution.TestPatchCatalog;
import io.r2estream.verifier.execution.VerifierConfig;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution-based verifier workers of this process: a consumer group on candidate patches, up to
 * {@code r2e.verifier.eb.concurrency} candidates at once, with the task topic and the test-patch topic followed in
 * memory; each candidate waits up to {@code r2e.verifier.eb.testgen-wait-seconds} for {@code r2e.testgen.samples}
 * test patches of its task. Test scores go out exactly once.
 */
public final class ExecutionVerifierWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionVerifierWorkers.class);
  private final ClosingStack running = new ClosingStack();

  private ExecutionVerifierWorkers() {
  }

  public static ExecutionVerifierWorkers start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl, final java.util.function.Consumer<String> progress) {
    final ExecutionVerifierWorkers w = new ExecutionVerifierWorkers();
    try {
      final Map<String, String> props = config.stringProperties();
      final VerifierConfig cfg = VerifierConfig.from(props);
      if (!cfg.enabled()) {
        progress.accept(String.format("  %-18s %s", "EB verifiers", "off (" + VerifierConfig.ENABLED_CONFIG + ")"));
        return w;
      }
      final TestGenConfig testgen = TestGenConfig.from(props);
      final EnvBuilderConfig env = EnvBuilderConfig.from(props, config.dataDir());
      final String owner = SweGenWorkers.owner(config) + "/verifier-eb";
      final DockerContainerRuntime runtime = w.running.push(WorkerContainers.openReaped(owner, "verifier", LOG));
      final Map<String, Object> kafka = config.kafkaClient(bootstrapServers);
      final TaskCatalog tasks = new TaskCatalog(kafka, registryUrl);
      w.running.push(tasks);
      final TestPatchCatalog tests = new TestPatchCatalog(kafka, registryUrl);
      w.running.push(tests);
      final EnvImages images = new EnvImages(runtime, env.baseImage(), env.buildLimits());
      final TaskMaterializer materializer = new TaskMaterializer(runtime, env.testLimits());
      final RecipeRegistry recipes = RecipeRegistry.fromConfig(props);
      final ExecutionVerifier verifier = new ExecutionVerifier(runtime, images, materializer, recipes,
          new ExecutionVerifier.Settings(null, cfg.reproductionTimeout(), "r2e-verify-"), Clock.systemUTC());
      // Test patches come only from a testing agent, which needs an LLM: without one configured, waiting for them
      // would hold every candidate for the whole wait, so candidates are scored at once (regression only).
      final boolean testsExpected = testgen.enabled() && io.r2estream.llm.LlmConfig.from(props).configured();
      final int expected = testsExpected ? testgen.samples() : 0;
      final ExecutionVerifierWorker job = new ExecutionVerifierWorker(tasks, tests, verifier, env.repoCacheDir(),
          expected, cfg.taskWait(), cfg.testgenWait());
      final ExactlyOnceJobWorker<CandidatePatch> worker = new ExactlyOnceJobWorker<>("r2e-verifier-eb",
          Topics.CANDIDATES, cfg.groupId(), kafka, registryUrl, cfg.concurrency(), job).start();
      w.running.push(worker);
      progress.accept(String.format("  %-18s %s", "EB verifiers", "concurrency " + cfg.concurrency()
          + (testsExpected ? ", waits " + cfg.testgenWait().toSeconds() + " s for " + expected + " test patches"
          : ", no testing agent (no LLM): regression scores only")));
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
