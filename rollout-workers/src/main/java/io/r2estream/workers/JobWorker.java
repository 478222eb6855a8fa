package io.r2estream.workers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer-group member that runs long jobs (validations, rollouts: minutes each) on a bounded pool without
 * starving {@code poll()}: the polling thread hands records to the pool, pauses its partitions while the pool is
 * full and keeps polling, so the group never sees it as dead past {@code max.poll.interval.ms}. A job's outputs are
 * published and acknowledged before its offset is committed, and offsets are committed per partition only up to
 * the first unfinished record: a member that dies mid-job loses nothing, its uncommitted records are redone by the
 * member that takes its partitions (outputs are keyed, so a redo overwrites on compacted topics).
 *
 * <p>A record that cannot be deserialized, or whose job throws, goes to the topic's dead-letter twin with the error.
 */
public final class JobWorker<V extends SpecificRecord> implements AutoCloseable {

  /** What a worker does with one input record. */
  @FunctionalInterface
  public interface Job<V> {
    List<Output<?>> handle(String key, V value) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final String name;
  private final TopicSpec<V> input;
  private final int concurrency;
  private final JobRecords<V> records;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final ExecutorService pool;
  private final KafkaClientMetrics consumerMeters;
  private final KafkaClientMetrics producerMeters;
  private final Map<TopicPartition, ArrayDeque<InFlight>> inFlight = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean draining;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private Thread thread;

  /**
   * @param kafka client properties shared by the consumer and producer (bootstrap servers, security)
   */
  public JobWorker(final String name, final TopicSpec<V> input, final String groupId, final Map<String, Object> kafka,
      final String registryUrl, final int concurrency, final Job<V> job) {
    this(name, input, groupId, kafka, registryUrl, concurrency, job, R2eMetrics.registry());
  }

  /** @param meters where the worker counts records, times jobs and binds its Kafka clients' meters */
  public JobWorker(final String name, final TopicSpec<V> input, final String groupId, final Map<String, Object> kafka,
      final String registryUrl, final int concurrency, final Job<V> job, final MeterRegistry meters) {
    this.name = name;
    this.input = input;
    this.concurrency = concurrency;
    this.consumer = new KafkaConsumer<>(JobRecords.consumerConfig(kafka, groupId, name, concurrency), new StringDeserializer(), new ByteArrayDeserializer());
    final Map<String, Object> p = JobRecords.producerConfig(kafka, name);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.records = new JobRecords<>(name, input, registryUrl, job, meters);
    this.pool = JobRecords.pool(name, concurrency);
    this.consumerMeters = JobRecords.bind(consumer, meters);
    this.producerMeters = JobRecords.bind(producer, meters);
  }

  /** Starts polling on a thread of its own. */
  public JobWorker<V> start() {
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Records whose outputs were published (dead letters included). */
  public long completed() {
    return done.get();
  }

  public long deadLettered() {
    return deadLettered.get();
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(input.name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
          commitFinished();
          partitions.forEach(inFlight::remove);
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
          // The loop sets every partition's paused state again on each pass, whatever the assignment kept.
        }
      });
      while (running.get()) {
        for (final ConsumerRecord<String, byte[]> rec : consumer.poll(POLL)) {
          if (draining) {
            break; // not taken: left uncommitted for the next member or run
          }
          final InFlight f = new InFlight(rec);
          inFlight.computeIfAbsent(new TopicPartition(rec.topic(), rec.partition()), k -> new ArrayDeque<>()).add(f);
          try {
            f.future = pool.submit(() -> process(f));
          } catch (java.util.concurrent.RejectedExecutionException e) {
            break;
          }
        }
        commitFinished();
        final Set<TopicPartition> assigned = consumer.assignment();
        if (draining || pending() >= concurrency) {
          consumer.pause(assigned);
        } else {
          consumer.resume(consumer.paused());
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop.
    } catch (RuntimeException e) {
      LOG.error("{} stopped: {}", name, e.toString(), e);
    } finally {
      try {
        commitFinished();
      } catch (RuntimeException e) {
        LOG.warn("{}: final commit failed ({}); unfinished records will be redone", name, e.toString());
      }
      consumer.close();
    }
  }

  private int pending() {
    int n = 0;
    for (final ArrayDeque<InFlight> q : inFlight.values()) {
      for (final InFlight f : q) {
        n += f.finished ? 0 : 1;
      }
    }
    return n;
  }

  private void process(final InFlight f) {
    final ConsumerRecord<String, byte[]> rec = f.record;
    final List<Output<?>> outputs;
    try {
      final JobRecords.Handled h = records.handle(rec);
      outputs = h.outputs();
      if (h.deadLetter()) {
        deadLettered.incrementAndGet();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      final List<Future<?>> acks = new ArrayList<>();
      for (final Output<?> o : outputs) {
        acks.add(producer.send(new ProducerRecord<>(o.topic().name(), o.key(), records.serialize(o))));
      }
      for (final Future<?> a : acks) {
        a.get();
      }
      f.finished = true;
      done.incrementAndGet();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // Not marked finished: the offset stays uncommitted and the record is redone after a restart or rebalance.
      LOG.error("{}: publishing the outputs of {} failed: {}", name, rec.key(), e.toString());
    }
  }

  /** Commits, per partition, the offset after the last record of the finished prefix. */
  private void commitFinished() {
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (final Map.Entry<TopicPartition, ArrayDeque<InFlight>> e : inFlight.entrySet()) {
      final ArrayDeque<InFlight> q = e.getValue();
      long next = -1;
      while (!q.isEmpty() && q.peekFirst().finished) {
        next = q.pollFirst().record.offset() + 1;
      }
      if (next >= 0) {
        offsets.put(e.getKey(), new OffsetAndMetadata(next));
      }
    }
    if (!offsets.isEmpty()) {
      consumer.commitSync(offsets);
    }
  }

  /** Stops polling, lets running jobs finish, commits what finished. */
  @Override
  public void close() {
    draining = true;
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES)) {
        pool.shutdownNow();
      }
      running.set(false);
      if (thread != null) {
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
    closeMeters();
  }

  private void closeMeters() {
    consumerMeters.close();
    producerMeters.close();
  }

  /**
   * Dies like a killed process: interrupts running jobs and leaves without committing what they did not finish.
   * For fault-injection tests and benchmarks.
   */
  public void crash() {
    pool.shutdownNow();
    running.set(false);
    consumer.wakeup();
    try {
      if (thread != null) {
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ZERO);
    closeMeters();
  }

  private static final class InFlight {
    final ConsumerRecord<String, byte[]> record;
    volatile boolean finished;
    Future<?> future;

    InFlight(final ConsumerRecord<String, byte[]> record) {
      this.record = record;
    }
  }
}
