package io.r2estream.connect.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SegmentNameTest {

  @Test
  void finalNameCarriesTopicPartitionAndZeroPaddedOffsets() {
    final SegmentName s = new SegmentName("r2e.tasks", 3, 17, 1_234);
    assertEquals("r2e.tasks+3+00000000000000000017+00000000000000001234.jsonl", s.fileName());
    assertEquals(Optional.of(s), SegmentName.parse(s.fileName()));
  }

  @Test
  void namesSortInOffsetOrder() {
    final List<String> names = List.of(new SegmentName("t", 0, 100, 199).fileName(),
        new SegmentName("t", 0, 9, 99).fileName(), new SegmentName("t", 0, 0, 8).fileName());
    assertEquals(List.of(names.get(2), names.get(1), names.get(0)), names.stream().sorted().toList());
  }

  @Test
  void otherFilesAreNotSegments() {
    assertTrue(SegmentName.parse(SegmentName.tempFileName("r2e.tasks", 0)).isEmpty());
    assertTrue(SegmentName.parse("r2e.tasks+0+00000000000000000000+00000000000000000004.parquet").isEmpty());
    assertTrue(SegmentName.parse("r2e.tasks+0+0+4.jsonl").isEmpty());
    assertTrue(SegmentName.parse("notes.txt").isEmpty());
  }

  @Test
  void rejectsAnEmptyOrNegativeRange() {
    assertThrows(IllegalArgumentException.class, () -> new SegmentName("t", 0, 5, 4));
    assertThrows(IllegalArgumentException.class, () -> new SegmentName("t", -1, 0, 0));
  }
}
