package io.r2estream.runtime;

import java.nio.charset.StandardCharsets;

/**
 * The last {@code capacity} bytes of a stream (a ring buffer), so that a command printing without end or a chatty
 * build cannot exhaust the heap; the beginning of a long log is the least useful part of it. Thread-safe: the
 * engine's callback thread appends while the caller may read.
 */
final class OutputTail {
  private final byte[] ring;
  private long written;

  OutputTail(final int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("output tail capacity must be positive, got " + capacity);
    }
    this.ring = new byte[capacity];
  }

  synchronized void append(final byte[] bytes) {
    // Byte k of the stream lives at k % capacity; only the last capacity bytes of a chunk can survive.
    final int n = ring.length;
    for (int i = Math.max(0, bytes.length - n); i < bytes.length; i++) {
      ring[(int) ((written + i) % n)] = bytes[i];
    }
    written += bytes.length;
  }

  synchronized long totalBytes() {
    return written;
  }

  /** The kept bytes decoded as UTF-8, preceded by a note of how many were dropped, if any. */
  synchronized String text() {
    final int n = ring.length;
    final int kept = (int) Math.min(written, n);
    final byte[] out = new byte[kept];
    final long first = written - kept;
    for (int k = 0; k < kept; k++) {
      out[k] = ring[(int) ((first + k) % n)];
    }
    final String body = new String(out, StandardCharsets.UTF_8);
    return written > kept ? "[... " + (written - kept) + " earlier bytes dropped ...]\n" + body : body;
  }
}
