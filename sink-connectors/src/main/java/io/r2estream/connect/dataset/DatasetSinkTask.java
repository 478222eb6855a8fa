package io.r2estream.connect.dataset;

import io.r2estream.metrics.R2eMetrics;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lifecycle, offsets and error routing of the dataset sink. Exactly once rests on three rules:
 * <ol>
 *   <li>rows reach a final file only by an atomic rename of a fully written, fsynced temp file whose name carries
 *       the partition and its first and last offset ({@link PartitionWriter#roll()});</li>
 *   <li>{@link #preCommit} gives Kafka only offsets covered by final files;</li>
 *   <li>{@link #open} deletes the partition's temp file and rewinds the consumer to just after the highest last
 *       offset among its final files, which may be ahead of Kafka's committed offset (a crash between a rename and
 *       the next commit) but never behind it.</li>
 * </ol>
 * So a record is in a final file at most once (the rewind skips what files hold) and at least once (what they do
 * not hold is read again).
 */
public final class DatasetSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(DatasetSinkTask.class);

  private final Map<TopicPartition, PartitionWriter> writers = new HashMap<>();
  private DatasetDirectory dir;
  private RollPolicy policy;
  private DatasetRows rows;
  private ErrorReporter errors;
  private boolean parquet;

  /** The {@code component} tag of this sink's meters. */
  static final String COMPONENT = "dataset-sink";

  /** Where records whose value cannot become a row go, with the reason. */
  @FunctionalInterface
  interface ErrorReporter {
    void report(SinkRecord record, Throwable reason);
  }

  @Override
  public String version() {
    return DatasetSinkConnector.VERSION;
  }

  @Override
  public void start(final Map<String, String> props) {
    final DatasetSinkConfig config = new DatasetSinkConfig(props);
    dir = new DatasetDirectory(config.dir());
    policy = config.rollPolicy();
    parquet = config.parquetEnabled();
    if (parquet) {
      ParquetCopies.requireDriver();
    }
    rows = new DatasetRows(config.registryUrl(), config.tasksFormat(), config.trajectoriesFormat());
    final ErrantRecordReporter reporter = context.errantRecordReporter();
    final ErrorReporter sent = reporter != null ? reporter::report : (record, reason) -> {
      // No dead-letter queue configured: stop rather than lose the record.
      throw new DataException("record " + record.topic() + "-" + record.kafkaPartition() + "@"
          + record.kafkaOffset() + " cannot be written and no dead-letter queue is configured: "
          + reason.getMessage(), reason);
    };
    errors = (record, reason) -> {
      sent.report(record, reason);
      R2eMetrics.failed(R2eMetrics.registry(), COMPONENT, reason).increment();
    };
    LOG.info("Dataset sink writing {} (roll after {} rows, {} bytes or {} ms; tasks as {}, trajectories as {})",
        dir.root(), policy.maxRows(), policy.maxBytes(), policy.maxAgeMs(), config.tasksFormat().cliName(),
        config.trajectoriesFormat().configName());
  }

  @Override
  public void open(final Collection<TopicPartition> partitions) {
    for (final TopicPartition tp : partitions) {
      if (dir.deleteTemp(tp.topic(), tp.partition())) {
        LOG.info("Deleted the unfinished temp file of {}: its records are read again", tp);
      }
      if (parquet) {
        ParquetCopies.ensureFor(dir, dir.segments(tp.topic(), tp.partition()));
      }
      final OptionalLong end = dir.highestEnd(tp.topic(), tp.partition());
      writers.put(tp, new PartitionWriter(dir, tp.topic(), tp.partition(), policy, end.orElse(-1)));
      if (end.isPresent()) {
        context.offset(tp, end.getAsLong() + 1);
        LOG.info("{} resumes at offset {} after its final files", tp, end.getAsLong() + 1);
      }
    }
  }

  @Override
  public void put(final Collection<SinkRecord> records) {
    final long now = System.currentTimeMillis();
    for (final SinkRecord record : records) {
      final TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
      final PartitionWriter writer = writers.get(tp);
      if (writer == null) {
        throw new ConnectException("record of " + tp + " delivered before the partition was opened");
      }
      final long offset = record.kafkaOffset();
      if (writer.alreadyWritten(offset)) {
        continue;
      }
      if (record.value() == null) {
        // A tombstone on a compacted topic deletes a key; an append-only dataset has nothing to write for it.
        writer.skip(offset, now);
      } else if (!(record.value() instanceof byte[] value)) {
        errors.report(record, new DataException("value of " + tp + "@" + offset + " is a "
            + record.value().getClass().getName() + ", not bytes: set value.converter to ByteArrayConverter"));
        writer.skip(offset, now);
      } else {
        try {
          writer.append(offset, rows.line(record.topic(), value), now);
          R2eMetrics.processed(R2eMetrics.registry(), COMPONENT, record.topic()).increment();
        } catch (DatasetRows.MalformedRecordException e) {
          errors.report(record, e);
          writer.skip(offset, now);
        }
      }
      if (writer.shouldRoll(now)) {
        roll(tp, writer);
      }
    }
    rollDue(now);
    writers.values().forEach(PartitionWriter::flush);
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(final Map<TopicPartition, OffsetAndMetadata> current) {
    rollDue(System.currentTimeMillis());
    final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
    writers.forEach((tp, w) -> {
      if (w.committableOffset() >= 0) {
        committable.put(tp, new OffsetAndMetadata(w.committableOffset()));
      }
    });
    return committable;
  }

  /**
   * Rolls what the partitions hold: a graceful hand-over leaves no temp file behind. Offsets were committed before
   * this call, so the new final files are found by the next {@link #open}'s scan instead.
   */
  @Override
  public void close(final Collection<TopicPartition> partitions) {
    for (final TopicPartition tp : partitions) {
      final PartitionWriter w = writers.remove(tp);
      if (w != null) {
        roll(tp, w);
        w.close();
      }
    }
  }

  @Override
  public void stop() {
    writers.values().forEach(PartitionWriter::close);
    writers.clear();
  }

  private void rollDue(final long now) {
    writers.forEach((tp, w) -> {
      if (w.shouldRoll(now)) {
        roll(tp, w);
      }
    });
  }

  private void roll(final TopicPartition tp, final PartitionWriter w) {
    final long pending = w.pendingRows();
    w.roll().ifPresent(s -> {
      LOG.debug("{}: {} rows final in {}", tp, pending, s.fileName());
      if (parquet) {
        ParquetCopies.copy(dir.finalFile(s));
      }
    });
  }
}
