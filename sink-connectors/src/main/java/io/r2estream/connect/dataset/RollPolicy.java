package io.r2estream.connect.dataset;

/**
 * When a partition's temp file becomes final: after this many rows, this many bytes, or this long since its first
 * record, whichever comes first.
 */
record RollPolicy(long maxRows, long maxBytes, long maxAgeMs) {

  boolean due(final long rows, final long bytes, final long ageMs) {
    return rows >= maxRows || bytes >= maxBytes || ageMs >= maxAgeMs;
  }
}
