package io.r2estream.rollout;

import io.r2estream.avro.TaskInstance;
import io.r2estream.topics.Topics;
import io.r2estream.workers.TopicFollower;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every task of the compacted task topic, in memory and kept current: a rollout request names a task by id, and a
 * worker may be asked for any of them (like a GlobalKTable, without a Streams application around one consumer).
 * Reads every partition from the beginning; a tombstone removes a task; undecodable records are skipped with a
 * warning (the task-assembly topology and `r2e tasks import` validate what they write).
 */
public final class TaskCatalog implements AutoCloseable {

  private final Map<String, TaskInstance> tasks = new ConcurrentHashMap<>();
  private final TopicFollower<TaskInstance> follower;

  public TaskCatalog(final Map<String, Object> kafka, final String registryUrl) {
    this.follower = new TopicFollower<>(kafka, registryUrl, Topics.TASKS, "r2e-task-catalog", tasks::put,
        tasks::remove);
  }

  public Optional<TaskInstance> get(final String taskId) {
    return Optional.ofNullable(tasks.get(taskId));
  }

  /** The task, waiting up to {@code timeout} for it to arrive (requests may be published right after tasks). */
  public Optional<TaskInstance> await(final String taskId, final Duration timeout) throws InterruptedException {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      final TaskInstance t = tasks.get(taskId);
      if (t != null) {
        return Optional.of(t);
      }
      Thread.sleep(50);
    }
    return get(taskId);
  }

  public int size() {
    return tasks.size();
  }

  @Override
  public void close() {
    follower.close();
  }
}
