package io.r2estream.bench;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.RolloutWorkerProcesses;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.rollout.AgentModels;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.testkit.JvmProcess;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Scale-out across processes ({@code bench/scale-out.sh [rounds] [max members]}): rollout workers as separate JVMs,
 * each started as a deployment starts one ({@code r2e up} with {@code r2e.components=rollout}, concurrency 1, its
 * own data directory), in one consumer group on the embedded broker of this JVM. The LLM is a
 * {@link ScriptedLlmServer} playing the scripted agent of {@link RolloutScaleBenchmark} with every reply held
 * {@link #LLM_LATENCY}, the order of a hosted model's latency: rollouts wait on the model most of their time, as
 * they do in production, so capacity is the number of rollouts in flight, which members add.
 *
 * <p><b>1. Throughput against members.</b> For 1, 2, ... members, interleaved over several rounds (the machine is
 * shared and noisy): start the members, wait until the group is stable with every member assigned, publish
 * {@link #ROLLOUTS} requests as {@code r2e rollout} does, and time until every trajectory is readable
 * (read_committed); then stop the members. Reported: median rollouts per hour per member count and its ratio to one
 * member.
 *
 * <p><b>2. A member killed mid-job.</b> Two members; as soon as one runs a rollout in a container it gets SIGKILL.
 * The other takes its partitions over after the session timeout and redoes the rollout. Reported: time to finish,
 * and the proof of exactly once: committed trajectories and candidate patches per rollout id (all must be 1).
 */
public final class ScaleOutBenchmark {

  private static final String OWNER = "r2e-bench-scale-out";
  private static final String MODEL = "scripted-agent";
  private static final int ROLLOUTS = 6;
  private static final Duration LLM_LATENCY = Duration.ofSeconds(1);
  private static final Duration DEADLINE = Duration.ofMinutes(10);

  private ScaleOutBenchmark() {
  }

  public static void main(final String[] args) throws Exception {
    final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    final int maxMembers = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    final Path tmp = Files.createTempDirectory("r2e-bench-scale-out-");
    final List<EnvCandidate> candidates = ValidationBenchmark.sampleCandidates(tmp);
    final List<TaskInstance> tasks;
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      runtime.reapLeaked(OWNER);
      new PythonBaseImage(runtime).ensure();
      tasks = RolloutBenchmark.sampleTasks(candidates, runtime,
          new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 4L << 30, 4096)),
          new TaskMaterializer(runtime, ResourceLimits.defaults()), RecipeRegistry.defaults(), tmp.resolve("cache"),
          OWNER);
    }
    System.out.printf("sample history: %d validated tasks; %d rollouts per round, LLM replies held %d ms%n",
        tasks.size(), ROLLOUTS, LLM_LATENCY.toMillis());

    final RolloutScaleBenchmark.ScriptedAgent agent = new RolloutScaleBenchmark.ScriptedAgent(tasks, LLM_LATENCY, null);
    final Map<String, Object> cluster = new HashMap<>(Map.of(ConfigKeys.DATA_DIR, tmp.resolve("cluster").toString(),
        ConfigKeys.KAFKA_EMBEDDED_PORT, 0, ConfigKeys.REGISTRY_EMBEDDED_PORT, 0, ConfigKeys.COMPONENTS, "registry"));
    try (ScriptedLlmServer llm = ScriptedLlmServer.start().otherwise(agent::reply);
         EmbeddedPlatform platform = EmbeddedPlatform.start(PlatformConfig.load(cluster), l -> { })) {
      publishTasks(platform, tasks);
      final Map<Integer, List<Double>> perHour = new TreeMap<>();
      for (int round = 1; round <= rounds; round++) {
        for (int members = 1; members <= maxMembers; members++) {
          final double wall = timedRound(platform, tasks, llm, members, tmp.resolve("r" + round + "m" + members));
          perHour.computeIfAbsent(members, k -> new ArrayList<>()).add(ROLLOUTS * 3600 / wall);
          System.out.printf("round %d, %d member(s): %d rollouts in %.1f s%n", round, members, ROLLOUTS, wall);
        }
      }
      final List<String> rows = new ArrayList<>();
      rows.add(String.format("| **1. throughput against members** (%d rollouts per round, %d rounds interleaved, "
          + "concurrency 1 per member, LLM replies held %d ms) | | |", ROLLOUTS, rounds, LLM_LATENCY.toMillis()));
      rows.add("| members | rollouts per hour, median (all rounds) | ratio to 1 member |");
      final double one = RolloutBenchmark.median(perHour.get(1));
      perHour.forEach((m, xs) -> rows.add(String.format("| %d | %.0f (%s) | %.2fx |", m, RolloutBenchmark.median(xs),
          xs.stream().map(x -> String.format("%.0f", x)).reduce((a, b) -> a + " / " + b).orElse(""),
          RolloutBenchmark.median(xs) / one)));
      rows.addAll(killRound(platform, tasks, llm, tmp.resolve("kill")));
      System.out.println();
      rows.forEach(System.out::println);
    }
  }

  /** Starts {@code members} worker JVMs, runs one batch, stops them; returns publish-to-last-trajectory seconds. */
  private static double timedRound(final EmbeddedPlatform platform, final List<TaskInstance> tasks,
      final ScriptedLlmServer llm, final int members, final Path dir) throws Exception {
    final List<JvmProcess> workers = startWorkers(platform, members, dir);
    try {
      final String runId = "scale-" + UUID.randomUUID().toString().substring(0, 8);
      final long t0 = System.nanoTime();
      RolloutRequestPublisher.publish(platform.kafkaClient(), platform.registryUrl(), requests(tasks, runId, llm));
      awaitTrajectories(platform, runId, workers);
      return (System.nanoTime() - t0) / 1e9;
    } finally {
      stopAll(workers);
    }
  }

  private static List<String> killRound(final EmbeddedPlatform platform, final List<TaskInstance> tasks,
      final ScriptedLlmServer llm, final Path dir) throws Exception {
    final List<JvmProcess> workers = startWorkers(platform, 2, dir);
    final Map<String, JvmProcess> byOwner = new LinkedHashMap<>();
    for (int i = 0; i < workers.size(); i++) {
      byOwner.put(RolloutWorkerProcesses.owner(platform, dir.resolve("w" + i)), workers.get(i));
    }
    try {
      final String runId = "kill-" + UUID.randomUUID().toString().substring(0, 8);
      final long t0 = System.nanoTime();
      RolloutRequestPublisher.publish(platform.kafkaClient(), platform.registryUrl(), requests(tasks, runId, llm));
      String victimOwner = null;
      String victimRollout = null;
      while (victimOwner == null) {
        if (System.nanoTime() - t0 > DEADLINE.toNanos()) {
          throw new IllegalStateException("no rollout of " + runId + " ever ran in a container");
        }
        for (final String owner : byOwner.keySet()) {
          final List<String> running = RolloutWorkerProcesses.runningRollouts(owner);
          if (!running.isEmpty() && victimOwner == null) {
            victimOwner = owner;
            victimRollout = running.get(0);
          }
        }
        Thread.sleep(100); // container starts have no event to wait on from here
      }
      final double killedAt = (System.nanoTime() - t0) / 1e9;
      final JvmProcess victim = byOwner.get(victimOwner);
      victim.kill();
      final List<JvmProcess> alive = workers.stream().filter(w -> w != victim).toList();
      final Map<String, Long> trajectories = awaitTrajectories(platform, runId, alive);
      final double wall = (System.nanoTime() - t0) / 1e9;
      final Map<String, Long> candidates = RolloutWorkerProcesses.countCommitted(platform, Topics.CANDIDATES,
          c -> c.getRunId().equals(runId) ? c.getCandidateId() : null);
      final long once = trajectories.values().stream().filter(n -> n == 1).count();
      final long candidatesOnce = candidates.values().stream().filter(n -> n == 1).count();
      if (once != ROLLOUTS || candidatesOnce != ROLLOUTS || candidates.size() != ROLLOUTS) {
        throw new IllegalStateException("not exactly once: trajectories " + trajectories + ", candidates "
            + candidates);
      }
      return List.of(
          "| **2. one of two members killed (SIGKILL) while its rollout runs** | | |",
          String.format("| killed at / all %d finished after | %.1f s / %.1f s | rollout %s redone |", ROLLOUTS,
              killedAt, wall, victimRollout),
          String.format("| rollouts with exactly one committed trajectory / candidate patch | %d / %d of %d | |",
              once, candidatesOnce, ROLLOUTS));
    } finally {
      stopAll(workers);
      byOwner.keySet().forEach(RolloutWorkerProcesses::removeContainers);
    }
  }

  private static List<RolloutRequest> requests(final List<TaskInstance> tasks, final String runId,
      final ScriptedLlmServer llm) {
    final List<RolloutRequest> out = new ArrayList<>();
    for (int i = 0; i < ROLLOUTS; i++) {
      final TaskInstance t = tasks.get(i % tasks.size());
      out.add(RolloutRequest.newBuilder().setRolloutId(t.getInstanceId() + "/" + runId + "/" + i)
          .setTaskId(t.getInstanceId()).setRunId(runId).setSample(i).setModel(MODEL)
          .setAgentConfig(Map.of(AgentModels.BASE_URL, llm.baseUrl())).setRequestedAt(Instant.now()).build());
    }
    return out;
  }

  private static List<JvmProcess> startWorkers(final EmbeddedPlatform platform, final int members, final Path dir)
      throws Exception {
    final List<JvmProcess> workers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      workers.add(RolloutWorkerProcesses.start(platform, "worker-" + i, dir.resolve("w" + i),
          dir.resolve("w" + i + ".log")));
    }
    try {
      for (final JvmProcess w : workers) {
        w.awaitOutput(RolloutWorkerProcesses.READY, Duration.ofMinutes(2));
      }
      RolloutWorkerProcesses.awaitMembers(platform, members, Duration.ofMinutes(2));
      return workers;
    } catch (RuntimeException | InterruptedException e) {
      stopAll(workers);
      throw e;
    }
  }

  private static void stopAll(final List<JvmProcess> workers) throws InterruptedException {
    for (final JvmProcess w : workers) {
      w.close();
    }
  }

  private static void publishTasks(final EmbeddedPlatform platform, final List<TaskInstance> tasks) {
    try (KafkaProducer<String, TaskInstance> p = new KafkaProducer<>(platform.kafkaClient(), new StringSerializer(),
        R2eSerdes.valueSerde(Topics.TASKS, platform.registryUrl()).serializer())) {
      tasks.forEach(t -> p.send(new ProducerRecord<>(Topics.TASKS.name(), t.getInstanceId(), t)));
    }
  }

  private static Map<String, Long> awaitTrajectories(final EmbeddedPlatform platform, final String runId,
      final List<JvmProcess> workers) throws InterruptedException {
    final long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      final Map<String, Long> counts = RolloutWorkerProcesses.countCommitted(platform, Topics.TRAJECTORIES,
          t -> t.getRunId().equals(runId) ? t.getRolloutId() : null);
      if (counts.size() >= ROLLOUTS) {
        return counts;
      }
      if (System.nanoTime() > deadline || workers.stream().noneMatch(JvmProcess::isAlive)) {
        throw new IllegalStateException(counts.size() + " of " + ROLLOUTS + " rollouts of " + runId
            + " finished; worker logs:\n" + workers.stream().map(JvmProcess::output).reduce("", String::concat));
      }
      Thread.sleep(250); // trajectories have no push notification for an outside reader
    }
  }
}
