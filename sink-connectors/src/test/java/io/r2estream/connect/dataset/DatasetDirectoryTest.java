package io.r2estream.connect.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery scan and the roll, on a real directory. */
class DatasetDirectoryTest {

  @TempDir
  Path root;

  @Test
  void highestEndIsTheLastOffsetOfTheNewestFinalFileOfThatPartitionOnly() throws IOException {
    final DatasetDirectory dir = new DatasetDirectory(root);
    for (final SegmentName s : List.of(new SegmentName("r2e.tasks", 0, 0, 4), new SegmentName("r2e.tasks", 0, 5, 9),
        new SegmentName("r2e.tasks", 1, 0, 41), new SegmentName("r2e.tasks", 10, 0, 99))) {
      Files.writeString(dir.finalFile(s), "{}\n");
    }
    Files.writeString(dir.tempFile("r2e.tasks", 0), "{\"unfinished\":true}\n");
    Files.writeString(dir.topicDir("r2e.tasks").resolve("README.txt"), "not a segment");

    assertEquals(OptionalLong.of(9), dir.highestEnd("r2e.tasks", 0));
    assertEquals(OptionalLong.of(41), dir.highestEnd("r2e.tasks", 1));
    assertEquals(OptionalLong.empty(), dir.highestEnd("r2e.tasks", 2));
    assertEquals(OptionalLong.empty(), dir.highestEnd("r2e.rankings", 0));
    assertEquals(List.of(new SegmentName("r2e.tasks", 0, 0, 4), new SegmentName("r2e.tasks", 0, 5, 9)),
        dir.segments("r2e.tasks", 0));
  }

  @Test
  void deleteTempRemovesOnlyThatPartitionsTempFile() throws IOException {
    final DatasetDirectory dir = new DatasetDirectory(root);
    Files.writeString(dir.tempFile("r2e.tasks", 0), "x\n");
    Files.writeString(dir.tempFile("r2e.tasks", 1), "y\n");
    assertTrue(dir.deleteTemp("r2e.tasks", 0));
    assertFalse(dir.deleteTemp("r2e.tasks", 0));
    assertFalse(Files.exists(dir.tempFile("r2e.tasks", 0)));
    assertTrue(Files.exists(dir.tempFile("r2e.tasks", 1)));
  }

  @Test
  void aRollRenamesTheTempFileToItsOffsetRangeAndCommitsOnlyRolledOffsets() throws IOException {
    final DatasetDirectory dir = new DatasetDirectory(root);
    final PartitionWriter w = new PartitionWriter(dir, "r2e.rankings", 2, new RollPolicy(3, Long.MAX_VALUE,
        Long.MAX_VALUE), -1);
    w.append(10, bytes("{\"a\":1}"), 0);
    w.skip(11, 0);
    w.append(12, bytes("{\"a\":2}"), 0);
    assertFalse(w.shouldRoll(0), "two rows are below the three-row threshold");
    assertEquals(-1, w.committableOffset());
    assertTrue(w.alreadyWritten(11), "an offset in the open segment is not appended twice");
    w.append(13, bytes("{\"a\":3}"), 0);
    assertTrue(w.shouldRoll(0));

    final SegmentName s = w.roll().orElseThrow();
    assertEquals(new SegmentName("r2e.rankings", 2, 10, 13), s);
    assertEquals(List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":3}"), Files.readAllLines(dir.finalFile(s)));
    assertFalse(Files.exists(dir.tempFile("r2e.rankings", 2)));
    assertEquals(14, w.committableOffset());
    assertTrue(w.alreadyWritten(13));
    assertFalse(w.alreadyWritten(14));
    assertTrue(w.roll().isEmpty(), "nothing appended since the roll");
  }

  @Test
  void aSegmentOfSkippedOffsetsOnlyRollsByAgeIntoAnEmptyFileThatStillRecordsProgress() throws IOException {
    final DatasetDirectory dir = new DatasetDirectory(root);
    final PartitionWriter w = new PartitionWriter(dir, "r2e.tasks", 0, new RollPolicy(10, 1_000, 500), 4);
    w.skip(5, 1_000);
    w.skip(6, 1_200);
    assertFalse(w.shouldRoll(1_499));
    assertTrue(w.shouldRoll(1_500));
    final SegmentName s = w.roll().orElseThrow();
    assertEquals(new SegmentName("r2e.tasks", 0, 5, 6), s);
    assertEquals(0, Files.size(dir.finalFile(s)));
    assertEquals(OptionalLong.of(6), dir.highestEnd("r2e.tasks", 0));
  }

  private static byte[] bytes(final String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
