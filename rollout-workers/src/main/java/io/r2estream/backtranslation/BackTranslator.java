package io.r2estream.backtranslation;

import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.ProblemStatement;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.llm.LlmClient;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import io.r2estream.topics.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer-group worker that turns validated environments ({@link Topics#ENV_VALIDATIONS}, status
 * NEW_COMMIT_BETTER; other statuses are skipped) into problem statements ({@link Topics#PROBLEM_STATEMENTS}, keyed
 * by task id) through {@link BackTranslation}. Unreadable records go to the topic's dead-letter twin.
 *
 * <p><b>Batches.</b> Each poll (at most {@code max-poll-records}) is one batch; its LLM calls run in parallel on
 * {@code max-concurrency} threads. While a batch runs, every assigned partition is paused and the consumer keeps
 * polling (getting nothing), so a batch of slow LLM calls never exceeds {@code max.poll.interval.ms} and the
 * worker stays in its group. Within a batch only the last record of each task is processed, so that parallel calls
 * cannot write an older statement after a newer one.
 *
 * <p><b>Delivery.</b> At-least-once: a batch's offsets are committed only after every statement and dead letter
 * of the batch has been acknowledged by the brokers (acks=all). A crash, a failed send or a rebalance in the middle
 * redoes the batch; the statement topic is compacted and keyed by task id, so a redo overwrites rather than
 * duplicates. {@link #close()} lets the running batch finish (up to {@link #CLOSE_GRACE}) and commits it.
 */
public final class BackTranslator implements Runnable, AutoCloseable {

  /** {@code DeadLetter.stage} of records this worker cannot read. */
  public static final String STAGE = "back-translation";
  /** How long {@link #close()} waits for a running batch before abandoning it (it will be redone). */
  public static final Duration CLOSE_GRACE = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(BackTranslator.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final BackTranslation translation;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Deserializer<EnvValidation> validations;
  private final Serializer<ProblemStatement> statements;
  private final Serializer<DeadLetter> deadLetters;
  private final String inputTopic = Topics.ENV_VALIDATIONS.name();
  private final String outputTopic = Topics.PROBLEM_STATEMENTS.name();
  private final String dlqTopic = Topics.dlqOf(Topics.ENV_VALIDATIONS).name();
  private final ExecutorService calls;
  private final Clock clock;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final LongAdder fromLlm = new LongAdder();
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder skipped = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder committed = new LongAdder();
  private volatile boolean running = true;
  private volatile boolean busy;
  private Thread thread;

  public BackTranslator(final BackTranslatorSettings settings, final Optional<LlmClient> llm, final Clock clock) {
    this(settings, llm, clock, Map.of());
  }

  /** With extra consumer properties (tests shorten {@code max.poll.interval.ms} to prove batches stay within it). */
  BackTranslator(final BackTranslatorSettings settings, final Optional<LlmClient> llm, final Clock clock,
      final Map<String, Object> consumerOverrides) {
    this.clock = clock;
    this.translation = new BackTranslation(llm, settings.maxTokens(), settings.temperature(), clock);
    this.validations = R2eSerdes.valueSerde(Topics.ENV_VALIDATIONS, settings.registryUrl()).deserializer();
    this.statements = R2eSerdes.valueSerde(Topics.PROBLEM_STATEMENTS, settings.registryUrl()).serializer();
    this.deadLetters = R2eSerdes.valueSerde(Topics.dlqOf(Topics.ENV_VALIDATIONS), settings.registryUrl())
        .serializer();
    final int parallel = llm.map(c -> c.config().maxConcurrency()).orElse(1);
    this.calls = Executors.newFixedThreadPool(parallel, r -> {
      final Thread t = new Thread(r, "back-translation-call-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    final Map<String, Object> consumerConfig = new HashMap<>(settings.kafkaClient());
    consumerConfig.putAll(Map.of(
        ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords(),
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, TopicSpec.MAX_MESSAGE_BYTES * 2,
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, TopicSpec.MAX_MESSAGE_BYTES));
    consumerConfig.putAll(consumerOverrides);
    this.consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    final Map<String, Object> producerConfig = new HashMap<>(settings.kafkaClient());
    producerConfig.putAll(Map.of(
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES));
    this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    LOG.info("Back-translator in group {}: {}", settings.groupId(),
        llm.map(c -> c.config().toString()).orElse(BackTranslation.NO_LLM));
  }

  /** Reads the settings (with environment fallbacks for the LLM), builds the worker and starts its thread. */
  public static BackTranslator start(final Map<String, String> config) {
    final BackTranslatorSettings settings = BackTranslatorSettings.from(config);
    final Optional<LlmClient> llm = settings.llm().configured() ? Optional.of(new LlmClient(settings.llm(),
        io.r2estream.metrics.MeterNames.ROLE_BACKTRANSLATION))
        : Optional.empty();
    return new BackTranslator(settings, llm, Clock.systemUTC()).start();
  }

  /** Runs {@link #run()} on a thread of its own; returns this. */
  public synchronized BackTranslator start() {
    if (thread != null) {
      throw new IllegalStateException("back-translator already started");
    }
    thread = new Thread(this, "back-translator");
    thread.start();
    return this;
  }

  /** Counts since start, for status pages and tests. */
  public BackTranslatorStats stats() {
    return new BackTranslatorStats(fromLlm.sum(), fallbacks.sum(), skipped.sum(), deadLettered.sum(), committed.sum());
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(inputTopic), new PauseWhileBusy());
      while (running) {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          processBatch(records);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Back-translator stopped by an unexpected error", e);
    } finally {
      calls.shutdownNow();
      producer.close(Duration.ofSeconds(10));
      consumer.close();
      stopped.countDown();
    }
  }

  private void processBatch(final ConsumerRecords<byte[], byte[]> records) {
    busy = true;
    consumer.pause(consumer.assignment());
    try {
      final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
      final Map<String, ConsumerRecord<byte[], byte[]>> latestByKey = new LinkedHashMap<>();
      final List<CompletableFuture<?>> pending = new ArrayList<>();
      for (final ConsumerRecord<byte[], byte[]> r : records) {
        final TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        offsets.put(tp, new OffsetAndMetadata(r.offset() + 1));
        firstOffsets.putIfAbsent(tp, r.offset());
        final String key = r.key() == null ? "offset:" + tp + "@" + r.offset()
            : new String(r.key(), StandardCharsets.UTF_8);
        latestByKey.remove(key);
        latestByKey.put(key, r);
      }
      skipped.add(records.count() - latestByKey.size());
      latestByKey.values().forEach(r -> pending.add(handleOrFail(r)));
      if (awaitAll(pending)) {
        commit(offsets);
      } else if (running) {
        firstOffsets.keySet().retainAll(consumer.assignment());
        firstOffsets.forEach(consumer::seek);
        pauseAfterFailure();
      }
    } finally {
      consumer.resume(consumer.paused());
      busy = false;
    }
  }

  /** An infrastructure failure (registry, producer) fails the batch, which is then read again, instead of the worker. */
  private CompletableFuture<?> handleOrFail(final ConsumerRecord<byte[], byte[]> record) {
    try {
      return handle(record);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Keeps a broker or registry outage from turning into a tight retry loop; well below max.poll.interval.ms. */
  private void pauseAfterFailure() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Decodes on the polling thread, sends dead letters at once, and hands BETTER validations to the call pool. */
  private CompletableFuture<?> handle(final ConsumerRecord<byte[], byte[]> record) {
    final EnvValidation v;
    try {
      v = validations.deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      return deadLetter(record, e);
    }
    if (v == null || v.getStatus() != ValidationStatus.NEW_COMMIT_BETTER) {
      skipped.increment();
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        final ProblemStatement s = translation.statementFor(v);
        return send(outputTopic, s.getTaskId().getBytes(StandardCharsets.UTF_8), statements.serialize(outputTopic, s))
            .thenRun(() -> count(s));
      } catch (RuntimeException e) {
        // Not an LLM problem (BackTranslation falls back for those): a record we cannot turn into a statement,
        // e.g. one too large to serialize. Redoing it would fail the same way and block the partition.
        return deadLetter(record, e);
      }
    }, calls).thenCompose(sent -> sent);
  }

  private CompletableFuture<Void> deadLetter(final ConsumerRecord<byte[], byte[]> record, final Exception e) {
    LOG.warn("Record {}-{}@{} cannot be processed, sent to {}: {}", record.topic(), record.partition(),
        record.offset(), dlqTopic, e.getMessage());
    final DeadLetter letter = DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), STAGE, e,
        clock.instant());
    return send(dlqTopic, record.key(), deadLetters.serialize(dlqTopic, letter)).thenRun(deadLettered::increment);
  }

  private void count(final ProblemStatement s) {
    (ProblemStatements.SOURCE_LLM.equals(s.getSource()) ? fromLlm : fallbacks).increment();
  }

  private CompletableFuture<Void> send(final String topic, final byte[] key, final byte[] value) {
    final CompletableFuture<Void> acked = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
        if (error == null) {
          acked.complete(null);
        } else {
          acked.completeExceptionally(error);
        }
      });
    } catch (KafkaException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  /**
   * Waits for the batch while polling the paused consumer (keeps the member within max.poll.interval.ms); true when
   * every record was handled and acknowledged. On close, waits up to {@link #CLOSE_GRACE} more.
   */
  private boolean awaitAll(final Collection<CompletableFuture<?>> pending) {
    final CompletableFuture<Void> all = CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new));
    long closeDeadline = Long.MAX_VALUE;
    while (true) {
      try {
        all.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        if (!running && closeDeadline == Long.MAX_VALUE) {
          closeDeadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        }
        if (System.nanoTime() > closeDeadline) {
          LOG.warn("Closing with a batch still running; its records will be redone by the group");
          all.cancel(true);
          return false;
        }
        final ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ZERO);
        // Paused partitions return nothing; a partition assigned mid-batch is paused by the listener. Anything
        // else is put back so that it is read again after this batch.
        stray.partitions().forEach(tp -> consumer.seek(tp, stray.records(tp).get(0).offset()));
      } catch (ExecutionException e) {
        LOG.error("A back-translation batch failed ({}); its records will be read again", e.getCause().toString());
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
        return false;
      }
    }
  }

  private void commit(final Map<TopicPartition, OffsetAndMetadata> offsets) {
    // Partitions lost in a rebalance during the batch are not ours to commit; their new owner redoes them.
    offsets.keySet().retainAll(consumer.assignment());
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
      committed.increment();
    } catch (KafkaException e) {
      LOG.warn("Offset commit failed ({}); the batch will be redone and its statements overwritten", e.toString());
    }
  }

  /** Stops polling, lets the running batch finish (bounded by {@link #CLOSE_GRACE}) and closes the clients. */
  @Override
  public void close() {
    running = false;
    final Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t == null) {
      consumer.close();
      producer.close();
      calls.shutdownNow();
      return;
    }
    try {
      if (!stopped.await(CLOSE_GRACE.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("Back-translator thread did not stop within {}", CLOSE_GRACE.plusSeconds(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class PauseWhileBusy implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
      // Nothing to flush: uncommitted work of a revoked partition is redone by its next owner.
    }

    @Override
    public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
      if (busy) {
        consumer.pause(partitions);
      }
    }
  }
}
