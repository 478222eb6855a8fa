package io.r2estream.connect.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * The output directory of the dataset sink: one sub-directory per topic holding the final files of its partitions
 * and at most one temp file per partition. The final files are the sink's record of progress: a partition resumes
 * after the highest last offset among its final files, whatever Kafka's committed offset says.
 */
public final class DatasetDirectory {

  private final Path root;

  public DatasetDirectory(final Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  /** The directory of a topic's files, created if missing. */
  public Path topicDir(final String topic) {
    final Path dir = root.resolve(topic);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create dataset directory " + dir, e);
    }
    return dir;
  }

  public Path tempFile(final String topic, final int partition) {
    return topicDir(topic).resolve(SegmentName.tempFileName(topic, partition));
  }

  public Path finalFile(final SegmentName segment) {
    return topicDir(segment.topic()).resolve(segment.fileName());
  }

  /** The final files of a partition, in offset order. */
  public List<SegmentName> segments(final String topic, final int partition) {
    try (Stream<Path> files = Files.list(topicDir(topic))) {
      return files.map(p -> SegmentName.parse(p.getFileName().toString())).flatMap(java.util.Optional::stream)
          .filter(s -> s.topic().equals(topic) && s.partition() == partition)
          .sorted(java.util.Comparator.comparingLong(SegmentName::first)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + topicDir(topic), e);
    }
  }

  /** The last offset held by a final file of the partition; empty when it has none yet. */
  public OptionalLong highestEnd(final String topic, final int partition) {
    return segments(topic, partition).stream().mapToLong(SegmentName::last).max();
  }

  /**
   * Deletes the partition's temp file: its rows were never committed (a crash, or a worker that lost the partition),
   * so they will be read from Kafka again. Returns whether there was one.
   */
  public boolean deleteTemp(final String topic, final int partition) {
    try {
      return Files.deleteIfExists(tempFile(topic, partition));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the temp file of " + topic + "-" + partition, e);
    }
  }

  /** Forces a directory entry change (a rename) to disk, so a final file survives a power cut once committed. */
  static void syncDirectory(final Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename is still atomic there, only its durability is weaker.
    }
  }
}
