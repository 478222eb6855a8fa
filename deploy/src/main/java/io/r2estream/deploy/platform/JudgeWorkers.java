package io.r2estream.deploy.platform;

import io.r2estream.avro.Trajectory;
import io.r2estream.llm.LlmClient;
import io.r2estream.metrics.MeterNames;
import io.r2estream.topics.Topics;
import io.r2estream.verifier.judge.Judge;
import io.r2estream.verifier.judge.JudgeConfig;
import io.r2estream.verifier.judge.JudgeWorker;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The execution-free verifier of this process: a consumer group on trajectories judging up to
 * {@code r2e.judge.concurrency} candidates at once, scores out exactly once. It needs no Docker engine, only an
 * LLM endpoint ({@code r2e.judge.base-url}, else {@code r2e.llm.base-url}); without one, or with
 * {@code r2e.judge.enabled=false}, nothing starts and no judge scores appear (the ranking sees them as missing).
 */
public final class JudgeWorkers implements AutoCloseable {

  private final ClosingStack running = new ClosingStack();

  private JudgeWorkers() {
  }

  public static JudgeWorkers start(final PlatformConfig config, final String bootstrapServers,
      final String registryUrl, final Consumer<String> progress) {
    final JudgeWorkers w = new JudgeWorkers();
    final JudgeConfig cfg = JudgeConfig.from(config.properties());
    if (!cfg.enabled() || !cfg.llm().configured()) {
      progress.accept(String.format("  %-18s %s", "judge workers", cfg.enabled() ? "no LLM endpoint: not started"
          : "disabled"));
      return w;
    }
    try {
      final Map<String, Object> kafka = config.kafkaClient(bootstrapServers);
      final JudgeWorker job = new JudgeWorker(Judge.of(new LlmClient(cfg.llm(), MeterNames.ROLE_JUDGE), cfg,
          Clock.systemUTC()));
      w.running.push(new ExactlyOnceJobWorker<Trajectory>(JudgeWorker.STAGE, Topics.TRAJECTORIES, cfg.groupId(),
          kafka, registryUrl, cfg.concurrency(), job).start());
      progress.accept(String.format("  %-18s %s", "judge workers", "model " + cfg.llm().model() + ", concurrency "
          + cfg.concurrency()));
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
