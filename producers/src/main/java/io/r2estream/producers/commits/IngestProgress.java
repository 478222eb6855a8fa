package io.r2estream.producers.commits;

/** Progress of an ingestion, for CLIs and dashboards. */
@FunctionalInterface
public interface IngestProgress {

  /** Ignores progress. */
  IngestProgress NONE = (repository, done, total) -> { };

  /**
   * @param repository repository id
   * @param done       commits handed to the publisher so far
   * @param total      commits the scan will hand over (merges excluded), or -1 when not known
   */
  void onProgress(String repository, long done, long total);
}
