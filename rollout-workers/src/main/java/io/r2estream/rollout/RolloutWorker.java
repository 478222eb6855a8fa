package io.r2estream.rollout;

import io.r2estream.agent.AgentLimits;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import io.r2estream.workers.Output;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rollout worker's job: for each request, the task from the {@link TaskCatalog}, the model the request names,
 * one rollout ({@link RolloutRunner}); live steps go to the trajectory-steps topic as they happen (at least once,
 * for dashboards), the trajectory (with its reward) and the candidate patch go out when the rollout ends, before
 * the request's offset is committed ({@link JobWorker}). A request whose task never appears is a dead letter.
 */
public final class RolloutWorker implements JobWorker.Job<RolloutRequest>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutWorker.class);
  private final TaskCatalog tasks;
  private final AgentModels models;
  private final RolloutRunner runner;
  private final Duration taskWait;
  private final KafkaProducer<String, TrajectoryStep> live;

  public RolloutWorker(final TaskCatalog tasks, final AgentModels models, final RolloutRunner runner,
      final Duration taskWait, final Map<String, Object> kafka, final String registryUrl) {
    this.tasks = tasks;
    this.models = models;
    this.runner = runner;
    this.taskWait = taskWait;
    final Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    final Serializer<TrajectoryStep> steps = R2eSerdes.valueSerde(Topics.TRAJECTORY_STEPS, registryUrl).serializer();
    this.live = new KafkaProducer<>(p, new StringSerializer(), steps);
  }

  @Override
  public List<Output<?>> handle(final String key, final RolloutRequest request) throws Exception {
    final TaskInstance task = tasks.await(request.getTaskId(), taskWait).orElseThrow(() ->
        new IllegalArgumentException("rollout " + request.getRolloutId() + " names task " + request.getTaskId()
            + ", which is not on " + Topics.TASKS.name() + " (waited " + taskWait.toSeconds() + " s)"));
    // The request's max_steps is the advised count; the hard stop leaves 10 steps past it (R2E-Gym: 40 and 50).
    final AgentLimits limits = AgentLimits.defaults().withSteps(request.getMaxSteps(), request.getMaxSteps() + 10)
        .withMaxTotalTime(Duration.ofSeconds(request.getMaxTotalTimeS()));
    final RolloutRunner.Outcome o = runner.run(task, request, models.forRequest(request, task), limits,
        step -> live.send(new ProducerRecord<>(Topics.TRAJECTORY_STEPS.name(), task.getInstanceId(), step)));
    LOG.info("{}: {} in {} steps, reward {}", request.getRolloutId(), o.trajectory().getExitReason(),
        o.trajectory().getSteps().size(), o.trajectory().getReward());
    return List.of(new Output<>(Topics.TRAJECTORIES, task.getInstanceId(), o.trajectory()),
        new Output<>(Topics.CANDIDATES, task.getInstanceId(), o.candidate()));
  }

  @Override
  public void close() {
    live.close(Duration.ofSeconds(10));
  }
}
