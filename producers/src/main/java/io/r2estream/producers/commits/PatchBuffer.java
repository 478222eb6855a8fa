package io.r2estream.producers.commits;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The diff formatter's output, reused for every file of every commit a render thread handles. It keeps at most
 * {@code limit} bytes of the current patch and counts the rest, so a huge diff costs its size in a counter,
 * not in memory, and the commit's full diff size is still known.
 */
final class PatchBuffer extends OutputStream {

  private byte[] buf = new byte[64 * 1024];
  private int stored;
  private long total;
  private long limit;

  /** Starts a new patch that may keep up to {@code maxBytes} bytes. */
  void start(final long maxBytes) {
    stored = 0;
    total = 0;
    limit = maxBytes;
  }

  @Override
  public void write(final int b) {
    if (total < limit) {
      ensure(stored + 1);
      buf[stored++] = (byte) b;
    }
    total++;
  }

  @Override
  public void write(final byte[] b, final int off, final int len) {
    final int keep = (int) Math.max(0, Math.min(len, limit - total));
    if (keep > 0) {
      ensure(stored + keep);
      System.arraycopy(b, off, buf, stored, keep);
      stored += keep;
    }
    total += len;
  }

  /** Bytes written for the current patch, kept or not. */
  long total() {
    return total;
  }

  /** The current patch did not fit its limit; its text is incomplete and must not be used. */
  boolean overflowed() {
    return total > limit;
  }

  String text() {
    return new String(buf, 0, stored, StandardCharsets.UTF_8);
  }

  private void ensure(final int capacity) {
    if (capacity > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(capacity, buf.length * 2));
    }
  }
}
