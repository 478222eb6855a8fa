package io.r2estream.deploy.cli;

import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.Trajectory;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Publishes rollout requests (K samples per task, deterministic rollout ids {@code task/run/sample}, so a re-sent
 * request overwrites its trajectory's identity) and follows the trajectories topic until every one of them has
 * finished, printing progress: counts by exit reason, resolved rate, tokens.
 */
final class RolloutRun {

  /** What came back: one trajectory per rollout id (a redone rollout's latest). */
  record Result(Map<String, Trajectory> trajectories, int requested) {

    long resolved() {
      return trajectories.values().stream().filter(t -> t.getReward() != null && t.getReward() == 1.0).count();
    }

    /**
     * Per-call accounting over every step (one step is one model call): the number of calls, the median and 90th
     * percentile call latency, and the tokens the endpoint reported.
     */
    String llmCalls() {
      final List<Double> latencies = new ArrayList<>();
      long prompt = 0;
      long completion = 0;
      for (final Trajectory t : trajectories.values()) {
        for (final io.r2estream.avro.TrajectoryStep s : t.getSteps()) {
          latencies.add(s.getLlmExecTime() * 1000);
          prompt += Math.max(0, s.getTokenUsagePrompt());
          completion += Math.max(0, s.getTokenUsageCompletion());
        }
      }
      java.util.Collections.sort(latencies);
      return String.format("model calls %d  latency p50 %.0f ms  p90 %.0f ms  tokens %d prompt + %d completion",
          latencies.size(), quantile(latencies, 0.5), quantile(latencies, 0.9), prompt, completion);
    }

    private static double quantile(final List<Double> sorted, final double q) {
      return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size())));
    }

    Map<String, Long> byExit() {
      final Map<String, Long> m = new TreeMap<>();
      trajectories.values().forEach(t -> m.merge(t.getExitReason(), 1L, Long::sum));
      return m;
    }
  }

  private RolloutRun() {
  }

  /** A rollout's id: task, run and sample, so that a re-sent request names the same rollout. */
  static String rolloutId(final String task, final String runId, final int sample) {
    return task + "/" + runId + "/" + sample;
  }

  static List<RolloutRequest> requests(final List<String> taskIds, final String runId, final int k,
      final String model, final double temperature, final int maxSteps, final Map<String, String> agentConfig) {
    final List<RolloutRequest> out = new ArrayList<>();
    for (final String task : taskIds) {
      for (int sample = 0; sample < k; sample++) {
        out.add(RolloutRequest.newBuilder().setRolloutId(rolloutId(task, runId, sample)).setTaskId(task)
            .setRunId(runId).setSample(sample).setModel(model).setTemperature(temperature).setMaxSteps(maxSteps)
            .setAgentConfig(agentConfig).setRequestedAt(Instant.now()).build());
      }
    }
    return out;
  }

  /** The request re-issuing the same task and sample of {@code run} ({@code replay} model). */
  static RolloutRequest replaying(final RolloutRequest request, final String run) {
    final Map<String, String> config = new java.util.HashMap<>(request.getAgentConfig());
    config.put(io.r2estream.agent.ReplayModel.AGENT_CONFIG_KEY, rolloutId(request.getTaskId(), run,
        request.getSample()));
    return RolloutRequest.newBuilder(request).setAgentConfig(config).build();
  }

  static Result follow(final Map<String, Object> kafkaClient, final String registryUrl, final List<RolloutRequest> requests,
      final Duration timeout, final PrintStream out) {
    final Map<String, Trajectory> done = new LinkedHashMap<>();
    final java.util.Set<String> wanted = new java.util.HashSet<>();
    requests.forEach(r -> wanted.add(r.getRolloutId()));
    final AvroDeserializer<Trajectory> d = new AvroDeserializer<>(Trajectory.class);
    d.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    final long deadline = System.nanoTime() + timeout.toNanos();
    int printed = -1;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        FollowerConsumers.config(kafkaClient, "r2e-rollout-follow-"), new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.TRAJECTORIES.name()));
      while (!done.keySet().containsAll(wanted) && System.nanoTime() < deadline) {
        for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(250))) {
          final Trajectory t = d.deserialize(r.topic(), r.value());
          if (wanted.contains(t.getRolloutId())) {
            done.put(t.getRolloutId(), t);
          }
        }
        if (done.size() != printed) {
          printed = done.size();
          final Result partial = new Result(done, wanted.size());
          out.printf("  rollouts %d/%d  resolved %d  by exit %s  tokens %d%n", done.size(), wanted.size(),
              partial.resolved(), partial.byExit(), done.values().stream()
                  .mapToLong(t -> t.getPromptTokens() + t.getCompletionTokens()).sum());
        }
      }
    }
    return new Result(done, wanted.size());
  }
}
