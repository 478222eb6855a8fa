package io.r2estream.envbuilder;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import io.r2estream.workers.Output;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The environment-builder worker: validates each env candidate ({@link EnvValidator}) and publishes the outcome,
 * whatever it is, to the env-validation topic keyed by task id. Many of them form one consumer group over the
 * candidates' partitions; see {@link JobWorker} for what happens when one dies.
 */
public final class EnvBuilder implements JobWorker.Job<EnvCandidate> {

  private static final Logger LOG = LoggerFactory.getLogger(EnvBuilder.class);
  private final EnvValidator validator;

  public EnvBuilder(final EnvValidator validator) {
    this.validator = validator;
  }

  @Override
  public List<Output<?>> handle(final String key, final EnvCandidate candidate) {
    final long start = System.nanoTime();
    final EnvValidation v = validator.validate(candidate);
    R2eMetrics.timer(R2eMetrics.registry(), MeterNames.ENV_BUILD_DURATION, MeterNames.OUTCOME,
        v.getStatus().name()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    LOG.info("{}: {} ({}) in {} ms", candidate.getTaskId(), v.getStatus(), v.getDetail(),
        v.getTimingsMs().values().stream().mapToLong(Long::longValue).sum());
    return List.of(new Output<>(Topics.ENV_VALIDATIONS, candidate.getTaskId(), v));
  }

  /** A worker process member: {@code kafka} holds the client properties (bootstrap servers, security). */
  public static JobWorker<EnvCandidate> worker(final String name, final EnvBuilderConfig config,
      final Map<String, Object> kafka, final String registryUrl, final EnvValidator validator) {
    return new JobWorker<>(name, Topics.ENV_CANDIDATES, config.groupId(), kafka, registryUrl, config.concurrency(),
        new EnvBuilder(validator));
  }
}
