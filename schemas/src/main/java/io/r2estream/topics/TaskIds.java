package io.r2estream.topics;

/**
 * Deterministic ids. A commit, its env candidate, its validation and its task share one key, so a redone
 * step overwrites instead of duplicating, and every per-task join is co-partitioned.
 */
public final class TaskIds {

  private TaskIds() {
  }

  /** The task id (and record key) of a commit of a repository: {@code <repository>@<sha>}. */
  public static String of(final String repository, final String sha) {
    if (repository == null || repository.isBlank() || sha == null || sha.isBlank()) {
      throw new IllegalArgumentException("repository and sha are required, got " + repository + "@" + sha);
    }
    return repository + "@" + sha;
  }

  /** A rollout, candidate or test-generation id: {@code <task id>/<run id>/<sample>}. */
  public static String rollout(final String taskId, final String runId, final int sample) {
    return taskId + "/" + runId + "/" + sample;
  }
}
