package io.r2estream.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last {@code capacity} bytes of a stream (a ring buffer), so that a command printing without end or a chatty
 * build cannot exhaust the heap; the beginning of a long log is the least useful part of it. The buffer starts small
 * and doubles as output arrives, reaching {@code capacity} only for a command that prints that much: most tool calls
 * print a few KB, and a full-size buffer per exec made every concurrent rollout hold a megabyte (G1 stores it as a
 * humongous object, two regions at a 1 GiB heap). Thread-safe: the engine's callback thread appends while the caller
 * may read.
 */
final class OutputTail {

  private static final int INITIAL = 8 * 1024;
  private final int capacity;
  private byte[] buf;
  private long written;

  OutputTail(final int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("output tail capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    this.buf = new byte[Math.min(capacity, INITIAL)];
  }

  synchronized void append(final byte[] bytes) {
    final long total = written + bytes.length;
    if (buf.length < capacity && total > buf.length) {
      // Until the stream has filled the capacity once, byte k lives at index k, as it will in the full ring.
      long size = buf.length;
      while (size < Math.min(total, capacity)) {
        size *= 2;
      }
      buf = Arrays.copyOf(buf, (int) Math.min(size, capacity));
    }
    // Byte k of the stream lives at k % capacity; only the last capacity bytes of a chunk can survive.
    for (int i = Math.max(0, bytes.length - capacity); i < bytes.length; i++) {
      buf[(int) ((written + i) % capacity)] = bytes[i];
    }
    written = total;
  }

  synchronized long totalBytes() {
    return written;
  }

  /** Bytes currently allocated for the tail (for tests: it grows with the output, up to the capacity). */
  synchronized int allocated() {
    return buf.length;
  }

  /** The kept bytes decoded as UTF-8, preceded by a note of how many were dropped, if any. */
  synchronized String text() {
    final int kept = (int) Math.min(written, capacity);
    final byte[] out = new byte[kept];
    final long first = written - kept;
    for (int k = 0; k < kept; k++) {
      out[k] = buf[(int) ((first + k) % capacity)];
    }
    final String body = new String(out, StandardCharsets.UTF_8);
    return written > kept ? "[... " + (written - kept) + " earlier bytes dropped ...]\n" + body : body;
  }
}
