package io.r2estream.connect.dataset;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a rolled (final) dataset file: {@code <topic>+<partition>+<first offset>+<last offset>.jsonl}, offsets
 * zero-padded to 20 digits so that names sort in offset order. The name alone records which offsets of which
 * partition the file holds, which is what lets a restarted task resume from its files. Kafka topic names cannot
 * contain {@code +}, so the separator is unambiguous.
 *
 * @param first offset of the first record the file covers
 * @param last  offset of the last record the file covers (inclusive)
 */
public record SegmentName(String topic, int partition, long first, long last) {

  /** Extension of final files. */
  public static final String EXTENSION = ".jsonl";
  /** Extension of the file a partition is currently writing; never read as a dataset file. */
  public static final String TEMP_EXTENSION = ".jsonl.tmp";

  private static final Pattern FINAL = Pattern.compile("^([a-zA-Z0-9._-]+)\\+(\\d+)\\+(\\d{20})\\+(\\d{20})\\.jsonl$");

  public SegmentName {
    if (partition < 0 || first < 0 || last < first) {
      throw new IllegalArgumentException("invalid segment " + topic + "/" + partition + " offsets " + first + ".."
          + last);
    }
  }

  public String fileName() {
    return String.format("%s+%d+%020d+%020d%s", topic, partition, first, last, EXTENSION);
  }

  /** The temp file name of a partition: one per topic-partition, replaced on every roll. */
  public static String tempFileName(final String topic, final int partition) {
    return topic + "+" + partition + TEMP_EXTENSION;
  }

  /** The segment a final file name describes; empty for any other file (temp files, Parquet copies, strangers). */
  public static Optional<SegmentName> parse(final String fileName) {
    final Matcher m = FINAL.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new SegmentName(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4))));
  }
}
