package io.r2estream.streams.envgen;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.DeadLetter;
import io.r2estream.topics.DeadLetters;
import io.r2estream.topics.TaskIds;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides each commit with {@link CommitSelector} and forwards the outcome to the candidate, rejection or
 * dead-letter sink. A store of task id → selector_version makes re-ingestion idempotent: a commit already
 * decided by the same selector version produces nothing; a new version re-decides it. Malformed events and
 * selector failures become dead letters; tombstones are ignored.
 */
final class EnvGenerationProcessor implements Processor<String, CommitEvent, String, SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(EnvGenerationProcessor.class);
  private static final String METRIC_SCOPE = "r2e-envgen";

  private final CommitSelector selector;
  private final Serializer<CommitEvent> commitSerializer;
  private final EnvGenerationTopology.Names names;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, String> decided;
  private Sensor selected;
  private Sensor rejected;
  private Sensor duplicates;
  private Sensor deadLettered;

  EnvGenerationProcessor(final CommitSelector selector, final Serializer<CommitEvent> commitSerializer,
      final EnvGenerationTopology.Names names) {
    this.selector = selector;
    this.commitSerializer = commitSerializer;
    this.names = names;
  }

  @Override
  public void init(final ProcessorContext<String, SpecificRecord> ctx) {
    this.context = ctx;
    this.decided = ctx.getStateStore(names.store());
    final String task = ctx.taskId().toString();
    selected = ctx.metrics().addRateTotalSensor(METRIC_SCOPE, task, "selected", Sensor.RecordingLevel.INFO);
    rejected = ctx.metrics().addRateTotalSensor(METRIC_SCOPE, task, "rejected", Sensor.RecordingLevel.INFO);
    duplicates = ctx.metrics().addRateTotalSensor(METRIC_SCOPE, task, "duplicate", Sensor.RecordingLevel.INFO);
    deadLettered = ctx.metrics().addRateTotalSensor(METRIC_SCOPE, task, "dead-lettered",
        Sensor.RecordingLevel.INFO);
    LOG.info("Task {} selects commits with selector {}", task, selector.selectorVersion());
  }

  @Override
  public void process(final Record<String, CommitEvent> record) {
    if (record.value() == null) {
      // A tombstone on the compacted commits topic deletes a commit; there is nothing to decide.
      LOG.info("Ignoring tombstone for {}", record.key());
      return;
    }
    final String taskId;
    final Selection selection;
    try {
      taskId = taskIdOf(record);
      if (selector.selectorVersion().equals(decided.get(taskId))) {
        duplicates.record();
        LOG.debug("{} already decided by selector {}; skipped", taskId, selector.selectorVersion());
        return;
      }
      selection = selector.select(record.value());
    } catch (RuntimeException e) {
      deadLetter(record, e);
      return;
    }
    decided.put(taskId, selector.selectorVersion());
    if (selection instanceof Selection.Selected s) {
      selected.record();
      context.forward(record.withKey(taskId).withValue(s.candidate()), names.candidatesSink());
    } else if (selection instanceof Selection.Rejected r) {
      rejected.record();
      context.forward(record.withKey(taskId).withValue(r.rejection()), names.rejectionsSink());
    }
  }

  private static String taskIdOf(final Record<String, CommitEvent> record) {
    final String taskId = TaskIds.of(record.value().getRepository(), record.value().getSha());
    if (record.key() != null && !record.key().equals(taskId)) {
      throw new IllegalArgumentException("record key '" + record.key() + "' is not the task id '" + taskId
          + "' of its commit");
    }
    return taskId;
  }

  private void deadLetter(final Record<String, CommitEvent> record, final RuntimeException error) {
    deadLettered.record();
    final RecordMetadata meta = context.recordMetadata().orElse(null);
    final String topic = meta == null ? names.sourceTopic() : meta.topic();
    final byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
    final DeadLetter letter = DeadLetters.of(topic, meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset(), key, reencode(topic, record.value()), names.stage(), error,
        Instant.now());
    LOG.warn("Commit {} at {}-{}@{} sent to the dead-letter topic: {}", record.key(), topic, letter.getSourcePartition(),
        letter.getSourceOffset(), error.toString());
    context.forward(record.withValue(letter), names.deadLettersSink());
  }

  /** The commit in its topic's wire format; the decoded record is all a processor still has. */
  private byte[] reencode(final String topic, final CommitEvent value) {
    try {
      return commitSerializer.serialize(topic, value);
    } catch (RuntimeException e) {
      LOG.warn("Cannot re-encode the failed commit {} for its dead letter: {}", value.getSha(), e.toString());
      return null;
    }
  }
}
