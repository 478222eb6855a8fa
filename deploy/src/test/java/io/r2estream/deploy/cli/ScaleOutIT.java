package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.RolloutWorkerProcesses;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.testkit.JvmProcess;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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

      final Map<String, Path> dataDirs = new LinkedHashMap<>();
      final Map<String, JvmProcess> byOwner = new LinkedHashMap<>();
      final List<JvmProcess> started = new ArrayList<>();
      try {
        for (final String name : List.of("worker-a", "worker-b")) {
          final String owner = RolloutWorkerProcesses.owner(platform, dir.resolve(name));
          dataDirs.put(owner, dir.resolve(name));
          final JvmProcess w = RolloutWorkerProcesses.start(platform, name, dir.resolve(name),
              dir.resolve(name + ".log"));
          started.add(w);
          byOwner.put(owner, w);
        }
        for (final JvmProcess w : started) {
          w.awaitOutput(RolloutWorkerProcesses.READY, Duration.ofMinutes(2));
        }
        RolloutWorkerProcesses.awaitMembers(platform, 2, Duration.ofMinutes(1));

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
        final Map.Entry<String, String> victim = awaitRunningRollout(runId, byOwner.keySet());
        final JvmProcess killed = byOwner.get(victim.getKey());
        killed.kill();
        final JvmProcess survivor = started.stream().filter(w -> w != killed).findFirst().orElseThrow();

        final Map<String, Long> trajectories = awaitAll(platform, runId, survivor);
        final Map<String, Long> candidates = RolloutWorkerProcesses.countCommitted(platform, Topics.CANDIDATES,
            c -> c.getRunId().equals(runId) ? c.getCandidateId() : null);
        final Set<String> ids = requests.stream().map(RolloutRequest::getRolloutId).collect(Collectors.toSet());
        assertEquals(ids, trajectories.keySet(), "a trajectory for every request");
        trajectories.forEach((id, n) -> assertEquals(1L, n, "trajectories of " + id));
        assertEquals(ids, candidates.keySet(), "a candidate patch for every request");
        candidates.forEach((id, n) -> assertEquals(1L, n, "candidate patches of " + id));
        assertTrue(trajectories.containsKey(victim.getValue()), "the killed rollout was redone");
        final Map<String, Trajectory> latest = TaskTopicReader.latest(platform.kafkaClient(), platform.registryUrl(),
            Topics.TRAJECTORIES, r -> r.value().getRolloutId());
        for (final String id : ids) {
          assertEquals(Double.valueOf(1.0), latest.get(id).getReward(), "the oracle resolves " + id);
        }

        // The killed worker's container outlived it; its restart (same data directory) removes it.
        assertFalse(RolloutWorkerProcesses.runningRollouts(victim.getKey()).isEmpty(),
            "the killed worker left its container");
        final JvmProcess restarted = RolloutWorkerProcesses.start(platform, "restarted",
            dataDirs.get(victim.getKey()), dir.resolve("restarted.log"));
        started.add(restarted);
        restarted.awaitOutput(RolloutWorkerProcesses.READY, Duration.ofMinutes(2));
        assertTrue(RolloutWorkerProcesses.runningRollouts(victim.getKey()).isEmpty(), "reaped on restart");
      } finally {
        for (final JvmProcess w : started) {
          w.close();
        }
        byOwner.keySet().forEach(RolloutWorkerProcesses::removeContainers);
      }
    }
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

  /** The first (owner, rollout id) of this run seen running in a container. */
  private static Map.Entry<String, String> awaitRunningRollout(final String runId, final Set<String> owners)
      throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      for (final String owner : owners) {
        for (final String rollout : RolloutWorkerProcesses.runningRollouts(owner)) {
          if (rollout.contains("/" + runId + "/")) {
            return Map.entry(owner, rollout);
          }
        }
      }
      Thread.sleep(200); // container starts have no event we can wait on here
    }
    throw new AssertionError("no rollout of " + runId + " ever ran in a container");
  }

  /** Waits until every rollout of the run has its committed trajectory; fails early if the survivor dies. */
  private static Map<String, Long> awaitAll(final EmbeddedPlatform platform, final String runId,
      final JvmProcess survivor) throws InterruptedException {
    final long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Map<String, Long> counts = Map.of();
    while (System.nanoTime() < deadline) {
      counts = RolloutWorkerProcesses.countCommitted(platform, Topics.TRAJECTORIES,
          t -> t.getRunId().equals(runId) ? t.getRolloutId() : null);
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
}
