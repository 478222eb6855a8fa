package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.deploy.platform.RolloutWorkers;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.rollout.RolloutConfig;
import io.r2estream.testkit.JvmProcess;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out across processes: two rollout workers, each its own JVM started as a deployment starts it
 * ({@code r2e up} with {@code r2e.components=rollout} against the cluster), share one consumer group. One is killed
 * with SIGKILL while a rollout of its own runs in a container; the other takes its partitions over and redoes that
 * rollout, and in the end every requested rollout has exactly one trajectory and one candidate patch for
 * read_committed readers. Restarting the killed worker with its data directory reaps the container it left.
 * Rollouts use the oracle model (the gold patch replayed: no LLM needed). Throughput against the number of members
 * is measured by {@code bench/scale-out.sh}, not here.
 */
class ScaleOutIT {

  private static final int ROLLOUTS = 6;
  private static final String MAIN = "io.r2estream.deploy.cli.R2eCli";
  private static final String READY = "R2E-Stream is up";
  private static final Duration TIMEOUT = Duration.ofMinutes(6);

  @TempDir
  Path dir;

  @Test
  void aKilledWorkersRolloutIsRedoneByTheOtherAndEveryRolloutCompletesOnce() throws Exception {
    final Path repo = SampleProject.materialize(dir.resolve("sample"));
    // This JVM is the cluster side: broker, registry, the stream topologies and SWE-GEN; no rollout workers.
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(TestPlatforms.config(dir.resolve("data"), Map.of(
        EnvBuilderConfig.ENABLED_CONFIG, true,
        ConfigKeys.COMPONENTS, "registry,streams,back-translator,swe-gen")), l -> { })) {
      IngestRun.run(RepositorySource.local(repo).withId("acme/textkit"), CommitRange.head(), platform.kafkaClient(),
          platform.registryUrl());
      final List<TaskInstance> tasks = awaitTasks(platform, 3);

      final List<JvmProcess> workers = new ArrayList<>();
      final Map<String, JvmProcess> byOwner = new HashMap<>();
      try {
        for (final String name : List.of("worker-a", "worker-b")) {
          final List<String> args = workerArgs(platform, dir.resolve(name));
          final JvmProcess w = JvmProcess.start(name, dir.resolve(name + ".log"), "384m", MAIN, args);
          workers.add(w);
          byOwner.put(ownerOf(platform, dir.resolve(name)), w);
        }
        for (final JvmProcess w : workers) {
          w.awaitOutput(READY, Duration.ofMinutes(2));
        }
        final String group = RolloutConfig.from(Map.of()).groupId();
        awaitMembers(platform, group, 2);

        final String runId = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        final List<RolloutRequest> requests = new ArrayList<>();
        for (int i = 0; i < ROLLOUTS; i++) {
          final TaskInstance t = tasks.get(i % tasks.size());
          requests.add(RolloutRequest.newBuilder().setRolloutId(t.getInstanceId() + "/" + runId + "/" + i)
              .setTaskId(t.getInstanceId()).setRunId(runId).setSample(i).setModel("oracle")
              .setRequestedAt(Instant.now()).build());
        }
        RolloutRequestPublisher.publish(platform.kafkaClient(), platform.registryUrl(), requests);

        // Kill whichever member first has a rollout of this run running in a container.
        final RunningRollout victim = awaitRunningRollout(runId, byOwner.keySet());
        final JvmProcess killed = byOwner.get(victim.owner());
        killed.kill();
        final JvmProcess survivor = workers.stream().filter(w -> w != killed).findFirst().orElseThrow();

        final Map<String, Long> trajectories = awaitAll(platform, Topics.TRAJECTORIES, runId,
            t -> t.getRunId().equals(runId) ? t.getRolloutId() : null, survivor);
        final Map<String, Long> candidates = countCommitted(platform, Topics.CANDIDATES,
            c -> c.getRunId().equals(runId) ? c.getCandidateId() : null);
        final Set<String> ids = requests.stream().map(RolloutRequest::getRolloutId).collect(Collectors.toSet());
        assertEquals(ids, trajectories.keySet(), "a trajectory for every request");
        trajectories.forEach((id, n) -> assertEquals(1L, n, "trajectories of " + id));
        assertEquals(ids, candidates.keySet(), "a candidate patch for every request");
        candidates.forEach((id, n) -> assertEquals(1L, n, "candidate patches of " + id));
        assertTrue(trajectories.containsKey(victim.rolloutId()), "the killed rollout was redone");
        final Map<String, Trajectory> latest = TaskTopicReader.latest(platform.kafkaClient(), platform.registryUrl(),
            Topics.TRAJECTORIES, r -> r.value().getRolloutId());
        for (final String id : ids) {
          assertEquals(Double.valueOf(1.0), latest.get(id).getReward(), "the oracle resolves " + id);
        }

        // The killed worker's container outlived it; its restart (same data directory) removes it.
        assertFalse(DockerPs.rolloutsOf(victim.owner()).isEmpty(), "the killed worker left its container");
        final JvmProcess restarted = JvmProcess.start("worker-a-restarted", dir.resolve("restart.log"), "384m", MAIN,
            workerArgs(platform, dirOf(victim.owner(), platform)));
        workers.add(restarted);
        restarted.awaitOutput(READY, Duration.ofMinutes(2));
        assertTrue(DockerPs.rolloutsOf(victim.owner()).isEmpty(), "reaped on restart");
      } finally {
        for (final JvmProcess w : workers) {
          w.close();
        }
        byOwner.keySet().forEach(DockerPs::removeAll);
      }
    }
  }

  private Path dirOf(final String owner, final EmbeddedPlatform platform) {
    for (final String name : List.of("worker-a", "worker-b")) {
      if (ownerOf(platform, dir.resolve(name)).equals(owner)) {
        return dir.resolve(name);
      }
    }
    throw new IllegalArgumentException("no worker owns " + owner);
  }

  /** A worker process's command line: the cluster's addresses, its own data directory, the rollout role only. */
  private static List<String> workerArgs(final EmbeddedPlatform platform, final Path dataDir) {
    final Map<String, String> p = new TreeMap<>(workerProperties(platform, dataDir));
    final List<String> args = new ArrayList<>();
    p.forEach((k, v) -> {
      args.add("-D");
      args.add(k + "=" + v);
    });
    args.add("up");
    return args;
  }

  private static Map<String, String> workerProperties(final EmbeddedPlatform platform, final Path dataDir) {
    final Map<String, String> p = new HashMap<>();
    p.put(ConfigKeys.KAFKA_BOOTSTRAP_SERVERS, platform.bootstrapServers());
    p.put(ConfigKeys.REGISTRY_URL, platform.registryUrl());
    p.put(ConfigKeys.DATA_DIR, dataDir.toString());
    p.put(ConfigKeys.COMPONENTS, "rollout");
    p.put(RolloutConfig.CONCURRENCY_CONFIG, "1");
    // A dead member's partitions move after the session timeout: 10 s instead of 45 keeps the test short.
    p.put(ConfigKeys.KAFKA_CLIENT_PREFIX + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
    p.put(ConfigKeys.KAFKA_CLIENT_PREFIX + ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
    return p;
  }

  private static String ownerOf(final EmbeddedPlatform platform, final Path dataDir) {
    final Map<String, Object> p = new HashMap<>(workerProperties(platform, dataDir));
    return RolloutWorkers.owner(PlatformConfig.load(p));
  }

  private static List<TaskInstance> awaitTasks(final EmbeddedPlatform platform, final int atLeast)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      final Map<String, TaskInstance> tasks = TaskTopicReader.readAll(platform.kafkaClient(), platform.registryUrl());
      if (tasks.size() >= atLeast) {
        return List.copyOf(tasks.values());
      }
      Thread.sleep(1000); // SWE-GEN validation takes seconds per task; nothing to wait on from outside
    }
    throw new AssertionError("fewer than " + atLeast + " validated tasks within " + TIMEOUT);
  }

  private static void awaitMembers(final EmbeddedPlatform platform, final String group, final int members)
      throws Exception {
    try (Admin admin = Admin.create(platform.kafkaClient())) {
      final long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      ConsumerGroupDescription d = null;
      while (System.nanoTime() < deadline) {
        d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        if (d.groupState() == GroupState.STABLE && d.members().size() == members && d.members().stream()
            .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
          return;
        }
        Thread.sleep(200); // group membership has no event to wait on from outside
      }
      throw new AssertionError("group " + group + " never stable with " + members + " members: " + d);
    }
  }

  record RunningRollout(String owner, String rolloutId) {
  }

  private static RunningRollout awaitRunningRollout(final String runId, final Set<String> owners)
      throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      for (final String owner : owners) {
        for (final String rollout : DockerPs.rolloutsOf(owner)) {
          if (rollout.contains("/" + runId + "/")) {
            return new RunningRollout(owner, rollout);
          }
        }
      }
      Thread.sleep(200); // container starts have no event we can wait on here
    }
    throw new AssertionError("no rollout of " + runId + " ever ran in a container");
  }

  /** Waits until every rollout of the run has its committed record; fails early if the survivor dies. */
  private static <T extends SpecificRecord> Map<String, Long> awaitAll(final EmbeddedPlatform platform,
      final TopicSpec<T> topic, final String runId, final Function<T, String> idOf, final JvmProcess survivor)
      throws InterruptedException {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Map<String, Long> counts = Map.of();
    while (System.nanoTime() < deadline) {
      counts = countCommitted(platform, topic, idOf);
      if (counts.size() >= ROLLOUTS) {
        return counts;
      }
      if (!survivor.isAlive()) {
        throw new AssertionError("the surviving worker died:\n" + survivor.output());
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("only " + counts.size() + " of " + ROLLOUTS + " rollouts of " + runId + " finished "
        + "within " + TIMEOUT + ": " + counts + "\nsurvivor's log:\n" + survivor.output());
  }

  /** Every committed record of {@code topic} from the beginning, counted per id (null ids skipped). */
  private static <T extends SpecificRecord> Map<String, Long> countCommitted(final EmbeddedPlatform platform,
      final TopicSpec<T> topic, final Function<T, String> idOf) {
    final Map<String, Object> c = new HashMap<>(platform.kafkaClient());
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    final Map<String, Long> counts = new TreeMap<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
        io.r2estream.serde.R2eSerdes.valueSerde(topic, platform.registryUrl()).deserializer())) {
      final List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          final String id = r.value() == null ? null : idOf.apply(r.value());
          if (id != null) {
            counts.merge(id, 1L, Long::sum);
          }
        });
      }
    }
    return counts;
  }

  /** The docker CLI's view of rollout containers, by the owner label a worker process puts on them. */
  static final class DockerPs {

    private DockerPs() {
    }

    static List<String> rolloutsOf(final String owner) {
      return lines("ps", "--filter", "label=io.r2estream.owner=" + owner, "--filter", "label=io.r2estream.rollout",
          "--format", "{{.Label \"io.r2estream.rollout\"}}");
    }

    static void removeAll(final String owner) {
      final List<String> ids = lines("ps", "-aq", "--filter", "label=io.r2estream.owner=" + owner);
      if (!ids.isEmpty()) {
        final List<String> cmd = new ArrayList<>(List.of("rm", "-f"));
        cmd.addAll(ids);
        lines(cmd.toArray(String[]::new));
      }
    }

    private static List<String> lines(final String... args) {
      final List<String> cmd = new ArrayList<>(List.of("docker"));
      cmd.addAll(List.of(args));
      try {
        final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
