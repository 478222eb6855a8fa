package io.r2estream.connect.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The rows of one topic-partition on their way to a final file: appended to the partition's temp file, then rolled
 * (fsync, atomic rename to a {@link SegmentName}) when a threshold is reached. Offsets that produce no row (tombstones,
 * records sent to the dead-letter queue) still extend the segment's range, so that a resumed task does not handle
 * them twice. Not thread-safe: a sink task's methods run on one thread.
 */
final class PartitionWriter implements AutoCloseable {

  private final DatasetDirectory dir;
  private final String topic;
  private final int partition;
  private final RollPolicy policy;
  private long lastFinal;
  private FileChannel channel;
  private OutputStream out;
  private long first = -1;
  private long last = -1;
  private long rows;
  private long bytes;
  private long openedAtMs;

  /**
   * @param lastFinal the last offset already held by a final file of this partition, -1 when none
   */
  PartitionWriter(final DatasetDirectory dir, final String topic, final int partition, final RollPolicy policy,
      final long lastFinal) {
    this.dir = dir;
    this.topic = topic;
    this.partition = partition;
    this.policy = policy;
    this.lastFinal = lastFinal;
  }

  /** Whether the offset is already in a final file (a redelivery before the rewind took effect). */
  boolean alreadyWritten(final long offset) {
    return offset <= lastFinal || offset <= last;
  }

  /** Appends one JSON line (without its newline) for the record at the offset. */
  void append(final long offset, final byte[] jsonLine, final long nowMs) {
    cover(offset, nowMs);
    try {
      out.write(jsonLine);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.tempFile(topic, partition), e);
    }
    rows++;
    bytes += jsonLine.length + 1;
  }

  /** Records that the offset was handled without a row (tombstone or dead-lettered record). */
  void skip(final long offset, final long nowMs) {
    cover(offset, nowMs);
  }

  private void cover(final long offset, final long nowMs) {
    if (channel == null) {
      open(nowMs);
      first = offset;
    }
    last = offset;
  }

  private void open(final long nowMs) {
    final Path temp = dir.tempFile(topic, partition);
    try {
      channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + temp, e);
    }
    out = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024);
    openedAtMs = nowMs;
    rows = 0;
    bytes = 0;
  }

  /**
   * Hands the appended rows to the operating system, so the temp file shows what the task has handled (no fsync:
   * the temp file is discarded after a crash anyway).
   */
  void flush() {
    if (out != null) {
      try {
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + dir.tempFile(topic, partition), e);
      }
    }
  }

  boolean shouldRoll(final long nowMs) {
    return channel != null && policy.due(rows, bytes, nowMs - openedAtMs);
  }

  /**
   * Makes the temp file final: flush, fsync, atomic rename, fsync of the directory. Returns the new final file, or
   * empty when nothing was appended since the last roll.
   */
  Optional<SegmentName> roll() {
    if (channel == null) {
      return Optional.empty();
    }
    final SegmentName segment = new SegmentName(topic, partition, first, last);
    final Path temp = dir.tempFile(topic, partition);
    try {
      out.flush();
      channel.force(true);
      out.close();
      Files.move(temp, dir.finalFile(segment), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot roll " + temp + " to " + segment.fileName(), e);
    }
    DatasetDirectory.syncDirectory(temp.getParent());
    channel = null;
    out = null;
    lastFinal = last;
    first = -1;
    return Optional.of(segment);
  }

  /** The offset the consumer may commit: the one after the last offset in a final file; -1 when none. */
  long committableOffset() {
    return lastFinal < 0 ? -1 : lastFinal + 1;
  }

  long pendingRows() {
    return rows;
  }

  /** Releases the temp file without rolling it (its rows will be read again from Kafka). */
  @Override
  public void close() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + dir.tempFile(topic, partition), e);
      }
      out = null;
      channel = null;
    }
  }
}
