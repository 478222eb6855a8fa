package io.r2estream.producers.commits;

import io.r2estream.topics.TopicSpec;

/**
 * Size caps of the events a scan builds and the parallelism of diff rendering. The caps keep one commit event
 * well below {@link TopicSpec#MAX_MESSAGE_BYTES}, whatever the commit.
 *
 * @param maxContentBytes per-file cap on the old/new contents kept for Python files (larger: content_truncated)
 * @param maxPatchBytes   per-commit cap on the total size of the kept patches (further patches omitted)
 * @param maxEventBytes   cap on the estimated size of one event; the largest contents or patches are dropped to fit
 * @param renderThreads   threads rendering consecutive commits in parallel; output order is kept
 */
public record ScanLimits(int maxContentBytes, int maxPatchBytes, int maxEventBytes, int renderThreads) {

  public static final int DEFAULT_MAX_CONTENT_BYTES = 512 * 1024;
  public static final int DEFAULT_MAX_PATCH_BYTES = 1024 * 1024;
  /** Half the topic limit: room for the record envelope, the key and schema growth. */
  public static final int DEFAULT_MAX_EVENT_BYTES = TopicSpec.MAX_MESSAGE_BYTES / 2;
  public static final int DEFAULT_RENDER_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

  public ScanLimits {
    if (maxContentBytes < 0 || maxPatchBytes < 0) {
      throw new IllegalArgumentException("content and patch caps must be >= 0, got " + maxContentBytes + " and "
          + maxPatchBytes);
    }
    if (maxEventBytes <= 0 || maxEventBytes >= TopicSpec.MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("maxEventBytes must be in (0, " + TopicSpec.MAX_MESSAGE_BYTES + "), got "
          + maxEventBytes);
    }
    if (renderThreads < 1) {
      throw new IllegalArgumentException("renderThreads must be >= 1, got " + renderThreads);
    }
  }

  public static ScanLimits defaults() {
    return new ScanLimits(DEFAULT_MAX_CONTENT_BYTES, DEFAULT_MAX_PATCH_BYTES, DEFAULT_MAX_EVENT_BYTES,
        DEFAULT_RENDER_THREADS);
  }

  public ScanLimits withRenderThreads(final int threads) {
    return new ScanLimits(maxContentBytes, maxPatchBytes, maxEventBytes, threads);
  }
}
