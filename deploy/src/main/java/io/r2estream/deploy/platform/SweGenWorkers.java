package io.r2estream.deploy.platform;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.envbuilder.EnvBuilder;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.workers.JobWorker;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SWE-GEN workers of this process: environment builders on the candidates topic and the back-translator on
 * validations. Start-up reaps containers a previous run of this process left behind (same owner label), and makes
 * sure the Python base image exists (built once, then cached by the engine).
 */
public final class SweGenWorkers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SweGenWorkers.class);
  private final ClosingStack running = new ClosingStack();

  private SweGenWorkers() {
  }

  /** The owner label of this process's containers: host and data directory, stable across restarts. */
  static String owner(final PlatformConfig config) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    return "r2e@" + host + ":" + Integer.toHexString(config.dataDir().toAbsolutePath().toString().hashCode());
  }

  public static SweGenWorkers start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl, final java.util.function.Consumer<String> progress) {
    final SweGenWorkers w = new SweGenWorkers();
    try {
      final Map<String, String> props = config.stringProperties();
      final EnvBuilderConfig cfg = EnvBuilderConfig.from(props, config.dataDir());
      final String owner = owner(config);
      final DockerContainerRuntime runtime = new DockerContainerRuntime(owner);
      w.running.push(runtime);
      final int reaped = runtime.reapLeaked(owner);
      if (reaped > 0) {
        LOG.warn("removed {} containers a previous run of {} left behind", reaped, owner);
      }
      new PythonBaseImage(runtime, cfg.baseImage()).ensure();
      final EnvValidator validator = new EnvValidator(runtime,
          new EnvImages(runtime, cfg.baseImage(), cfg.buildLimits()),
          new TaskMaterializer(runtime, cfg.testLimits()), RecipeRegistry.fromConfig(props),
          new EnvValidator.Settings(cfg.reruns(), cfg.ablation(), cfg.repoCacheDir(), cfg.baseImage(), owner),
          Clock.systemUTC());
      final Map<String, Object> kafka = config.kafkaClient(bootstrapServers);
      final JobWorker<EnvCandidate> builder = EnvBuilder.worker("r2e-envbuilder", cfg, kafka, registryUrl,
          validator).start();
      w.running.push(builder);
      progress.accept(String.format("  %-18s %s", "env builder", "concurrency " + cfg.concurrency() + ", reruns "
          + cfg.reruns() + ", base image " + cfg.baseImage()));
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
