package io.r2estream.verifier.execution;

import io.r2estream.avro.TestGenPatch;
import io.r2estream.topics.Topics;
import io.r2estream.workers.TopicFollower;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every generated test patch, in memory and kept current, by task then testgen id (a later record of a testgen id
 * replaces the earlier: a redone testing job). The execution-based verifier scores a candidate against its task's
 * test patches, which a separate worker writes at its own pace; like the rollout workers' task catalogue, one
 * consumer reads every partition from the beginning, read_committed. Undecodable records are skipped with a warning
 * (the testing-agent worker writes them).
 */
public final class TestPatchCatalog implements AutoCloseable {

  private final Map<String, Map<String, TestGenPatch>> patches = new ConcurrentHashMap<>();
  private final TopicFollower<TestGenPatch> follower;

  public TestPatchCatalog(final Map<String, Object> kafka, final String registryUrl) {
    this.follower = new TopicFollower<>(kafka, registryUrl, Topics.TESTGEN_PATCHES, "r2e-testgen-catalog",
        (key, p) -> patches.computeIfAbsent(p.getTaskId(), k -> new ConcurrentHashMap<>()).put(p.getTestgenId(), p),
        key -> { });
  }

  /** The task's test patches now, ordered by testgen id. */
  public List<TestGenPatch> forTask(final String taskId) {
    return patches.getOrDefault(taskId, Map.of()).values().stream()
        .sorted(Comparator.comparing(TestGenPatch::getTestgenId)).toList();
  }

  /** The task's test patches once there are at least {@code count}, or those there are after {@code timeout}. */
  public List<TestGenPatch> await(final String taskId, final int count, final Duration timeout)
      throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && forTask(taskId).size() < count) {
      Thread.sleep(50);
    }
    return forTask(taskId);
  }

  @Override
  public void close() {
    follower.close();
  }
}
