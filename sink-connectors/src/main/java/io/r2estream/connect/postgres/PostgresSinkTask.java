package io.r2estream.connect.postgres;

import io.r2estream.metrics.R2eMetrics;
import io.r2estream.registry.SchemaRegistryClient;
import io.r2estream.registry.SchemaRegistryClients;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts each put() into PostgreSQL in one transaction: values are decoded with their writer schema from the
 * registry, mapped to the topic's table ({@link TableLayout}), and tombstones delete the rows of their key. Transient
 * SQL or registry errors make Connect redeliver the batch after a growing backoff; records that cannot be decoded,
 * mapped or written go to Connect's dead-letter queue through the {@link ErrantRecordReporter}, with the reason.
 */
public final class PostgresSinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresSinkTask.class);
  private static final long MAX_BACKOFF_MS = 60_000;

  private record LayoutKey(String topic, int schemaId) {
  }

  private PostgresSinkConfig config;
  private SchemaRegistryClient registry;
  private WireFormatDecoder decoder;
  private PostgresWriter writer;
  private ErrantRecordReporter reporter;
  private final Map<LayoutKey, TableLayout> layouts = new HashMap<>();
  private int failedAttempts;
  /** The {@code component} tag of this sink's meters. */
  static final String COMPONENT = "postgres-sink";

  @Override
  public String version() {
    return PostgresSinkConnector.VERSION;
  }

  @Override
  public void start(final Map<String, String> props) {
    config = new PostgresSinkConfig(props);
    registry = SchemaRegistryClients.forUrl(config.registryUrl(), props);
    decoder = new WireFormatDecoder(registry);
    writer = new PostgresWriter(config);
    try {
      reporter = context.errantRecordReporter();
    } catch (NoSuchMethodError | NoClassDefFoundError e) {
      reporter = null; // a worker older than Kafka 2.6: failures fail the task instead
    }
  }

  @Override
  public void put(final Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    final List<PostgresWriter.Failure> failures = new ArrayList<>();
    final List<SinkOp> ops = new ArrayList<>(records.size());
    try {
      for (final SinkRecord r : records) {
        try {
          ops.add(toOp(r));
        } catch (WireFormatDecoder.UndecodableValueException | IllegalArgumentException | ClassCastException e) {
          failures.add(new PostgresWriter.Failure(r, e));
        }
      }
      failures.addAll(writer.write(ops));
    } catch (RetriableException e) {
      retryLater(e);
    } catch (SQLException e) {
      writer.closeConnection();
      if (!SqlErrors.isTransient(e, false)) {
        throw new ConnectException("PostgreSQL sink cannot write a batch of " + records.size() + " records: "
            + SqlErrors.describe(e), e);
      }
      retryLater(e);
    }
    failedAttempts = 0;
    // Reported only once the batch is committed, so a redelivered batch does not dead-letter its records twice.
    failures.forEach(this::report);
    countWritten(records, failures);
  }

  /** Counts the committed batch's stored records per topic ({@code r2e.records.processed}). */
  private static void countWritten(final Collection<SinkRecord> records, final List<PostgresWriter.Failure> failures) {
    final java.util.Set<SinkRecord> failed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    failures.forEach(f -> failed.add(f.record()));
    final Map<String, Long> perTopic = new java.util.HashMap<>();
    for (final SinkRecord r : records) {
      if (!failed.contains(r)) {
        perTopic.merge(r.topic(), 1L, Long::sum);
      }
    }
    perTopic.forEach((topic, n) -> R2eMetrics.processed(R2eMetrics.registry(), COMPONENT, topic).increment(n));
  }

  private SinkOp toOp(final SinkRecord r) {
    final TableName table = config.tableOf(r.topic());
    final String key = keyText(r.key());
    if (r.value() == null) {
      if (key == null) {
        throw new IllegalArgumentException("tombstone on " + r.topic() + "-" + r.kafkaPartition() + "@"
            + r.kafkaOffset() + " has no key, so it cannot identify rows to delete");
      }
      return new SinkOp.Delete(r, table, key);
    }
    if (!(r.value() instanceof byte[] bytes)) {
      throw new IllegalArgumentException("value on " + r.topic() + " is a " + r.value().getClass().getName()
          + ", not bytes: set value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
    }
    final WireFormatDecoder.Decoded d = decoder.decode(r.topic(), bytes);
    final TableLayout layout = layouts.computeIfAbsent(new LayoutKey(r.topic(), d.schemaId()), k -> TableLayout.of(
        table, d.schema(), config.primaryKeyOf(r.topic()).orElseGet(() -> PrimaryKeys.defaultFor(d.schema()))));
    return new SinkOp.Upsert(r, layout, layout.values(key, r.kafkaPartition(), r.kafkaOffset(), d.value()));
  }

  private static String keyText(final Object key) {
    if (key == null) {
      return null;
    }
    return key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : key.toString();
  }

  private void retryLater(final Exception e) {
    failedAttempts++;
    if (failedAttempts > config.maxRetries()) {
      throw new ConnectException("PostgreSQL sink gave up after " + config.maxRetries() + " retries: "
          + message(e), e);
    }
    final long backoff = Math.min(MAX_BACKOFF_MS, config.retryBackoffMs() << Math.min(failedAttempts - 1, 16));
    context.timeout(backoff);
    LOG.warn("transient error, batch redelivered in {} ms (retry {}/{}): {}", backoff, failedAttempts,
        config.maxRetries(), message(e));
    throw new RetriableException("transient error (retry " + failedAttempts + "/" + config.maxRetries() + "): "
        + message(e), e);
  }

  private static String message(final Exception e) {
    return e instanceof SQLException s ? SqlErrors.describe(s) : e.getMessage();
  }

  private void report(final PostgresWriter.Failure f) {
    final SinkRecord r = f.record();
    LOG.warn("record {}-{}@{} goes to the dead-letter queue: {}", r.topic(), r.kafkaPartition(), r.kafkaOffset(),
        f.error().getMessage());
    if (reporter == null) {
      throw new ConnectException("record " + r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset()
          + " cannot be stored and this worker has no errant record reporter: " + f.error().getMessage(), f.error());
    }
    reporter.report(r, f.error());
    R2eMetrics.failed(R2eMetrics.registry(), COMPONENT, f.error()).increment();
  }

  @Override
  public void stop() {
    if (writer != null) {
      writer.close();
    }
    if (registry != null) {
      registry.close();
    }
  }
}
