package io.r2estream.producers.commits;

/** How a commit event came in; written to {@code CommitEvent.source}. */
public enum EventSource {
  /** A history scan (CLI, benchmark, initial ingestion). */
  SCAN("scan"),
  /** A post-receive hook's push notification. */
  PUSH("push"),
  /** An imported dataset. */
  IMPORT("import");

  private final String wireName;

  EventSource(final String wireName) {
    this.wireName = wireName;
  }

  /** The value stored in the event. */
  public String wireName() {
    return wireName;
  }
}
