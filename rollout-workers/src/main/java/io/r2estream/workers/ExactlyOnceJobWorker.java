package io.r2estream.workers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link JobWorker} whose outputs and input offsets commit in one Kafka transaction (exactly-once
 * consume-transform-produce), for jobs whose outputs live on non-compacted topics, such as trajectories: a member
 * that dies after publishing but before committing leaves an aborted transaction, invisible to read_committed
 * readers, and the member that takes over redoes the job once. Records of one partition run one at a time (so the
 * committed offset always covers exactly the finished records), partitions run side by side up to the concurrency;
 * long jobs run on a pool while the polling thread keeps polling with busy partitions paused, and owns the producer.
 * Transactions carry the consumer group's metadata, so a member fenced by a rebalance cannot commit a stale result.
 */
public final class ExactlyOnceJobWorker<V extends SpecificRecord> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceJobWorker.class);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String name;
  private final TopicSpec<V> input;
  private final int concurrency;
  private final JobRecords<V> records;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final ExecutorService pool;
  private final KafkaClientMetrics consumerMeters;
  private final KafkaClientMetrics producerMeters;
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> waiting = new HashMap<>();
  private final Map<TopicPartition, Finished> running = new HashMap<>();
  private final LinkedBlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicLong committed = new AtomicLong();
  /** Jobs started and not yet committed or dropped; close() waits for it to reach zero. */
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean draining;
  private Thread thread;

  public ExactlyOnceJobWorker(final String name, final TopicSpec<V> input, final String groupId,
      final Map<String, Object> kafka, final String registryUrl, final int concurrency, final JobWorker.Job<V> job) {
    this(name, input, groupId, kafka, registryUrl, concurrency, job, R2eMetrics.registry());
  }

  /** @param meters where the worker counts records, times jobs and binds its Kafka clients' meters */
  public ExactlyOnceJobWorker(final String name, final TopicSpec<V> input, final String groupId,
      final Map<String, Object> kafka, final String registryUrl, final int concurrency, final JobWorker.Job<V> job,
      final MeterRegistry meters) {
    this.name = name;
    this.input = input;
    this.concurrency = concurrency;
    this.consumer = new KafkaConsumer<>(JobRecords.consumerConfig(kafka, groupId, name, concurrency), new StringDeserializer(), new ByteArrayDeserializer());
    final Map<String, Object> p = JobRecords.producerConfig(kafka, name);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name + "-" + UUID.randomUUID());
    // An abandoned transaction blocks read_committed readers of its partitions until it times out.
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.records = new JobRecords<>(name, input, registryUrl, job, meters);
    this.pool = JobRecords.pool(name, concurrency);
    this.consumerMeters = JobRecords.bind(consumer, meters);
    this.producerMeters = JobRecords.bind(producer, meters);
  }

  public ExactlyOnceJobWorker<V> start() {
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Records whose outputs and offset were committed (dead letters included). */
  public long committed() {
    return committed.get();
  }

  private void loop() {
    try {
      producer.initTransactions();
      consumer.subscribe(List.of(input.name()), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(final Collection<TopicPartition> partitions) {
          // Jobs still running for these partitions finish into the void: their results are dropped below and the
          // new owner redoes them from the committed offset.
          partitions.forEach(tp -> {
            waiting.remove(tp);
            running.remove(tp);
          });
        }

        @Override
        public void onPartitionsAssigned(final Collection<TopicPartition> partitions) {
          // nothing to restore: positions come from the committed offsets
        }
      });
      while (open.get()) {
        for (final ConsumerRecord<String, byte[]> rec : consumer.poll(POLL)) {
          waiting.computeIfAbsent(new TopicPartition(rec.topic(), rec.partition()), k -> new ArrayDeque<>()).add(rec);
        }
        Finished f;
        while ((f = finished.poll()) != null) {
          commit(f);
        }
        startJobs();
        pauseBusyPartitions();
      }
    } catch (WakeupException e) {
      // close or crash
    } catch (RuntimeException e) {
      LOG.error("{} stopped: {}", name, e.toString(), e);
    } finally {
      consumer.close();
    }
  }

  private void startJobs() {
    if (draining) {
      return; // records already fetched stay uncommitted: the next owner takes them
    }
    for (final Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<String, byte[]>>> e : waiting.entrySet()) {
      if (running.size() >= concurrency) {
        return;
      }
      final TopicPartition tp = e.getKey();
      if (running.containsKey(tp) || e.getValue().isEmpty()) {
        continue;
      }
      final Finished f = new Finished(tp, e.getValue().pollFirst());
      running.put(tp, f);
      inFlight.incrementAndGet();
      pool.submit(() -> process(f));
    }
  }

  private void pauseBusyPartitions() {
    final Set<TopicPartition> busy = new HashSet<>(running.keySet());
    waiting.forEach((tp, q) -> {
      if (!q.isEmpty()) {
        busy.add(tp);
      }
    });
    final Set<TopicPartition> assigned = consumer.assignment();
    final Set<TopicPartition> pause = new HashSet<>(assigned);
    pause.retainAll(busy);
    consumer.pause(pause);
    final Set<TopicPartition> resume = new HashSet<>(consumer.paused());
    resume.removeAll(busy);
    consumer.resume(resume);
  }

  private void process(final Finished f) {
    try {
      f.outputs = records.handle(f.record).outputs();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // a crash: nothing is committed, the record is redone elsewhere
    }
    finished.add(f);
  }

  /** Publishes a finished job's outputs and its offset in one transaction, on the polling thread. */
  private void commit(final Finished f) {
    try {
      if (running.get(f.tp) == f) {
        running.remove(f.tp);
        transact(f);
      } // else the partition was revoked while the job ran: its new owner redoes it
    } finally {
      synchronized (inFlight) {
        inFlight.decrementAndGet();
        inFlight.notifyAll();
      }
    }
  }

  private void transact(final Finished f) {
    try {
      producer.beginTransaction();
      for (final Output<?> o : f.outputs) {
        producer.send(new ProducerRecord<>(o.topic().name(), o.key(), records.serialize(o)));
      }
      producer.sendOffsetsToTransaction(Map.of(f.tp, new OffsetAndMetadata(f.record.offset() + 1)),
          consumer.groupMetadata());
      producer.commitTransaction();
      committed.incrementAndGet();
    } catch (KafkaException e) {
      LOG.warn("{}: transaction for {} failed ({}); the record will be redone", name, f.record.key(), e.toString());
      try {
        producer.abortTransaction();
      } catch (KafkaException abort) {
        LOG.warn("{}: abort failed too: {}", name, abort.toString());
      }
      // Back to the committed position, so this member (or the partition's new owner) redoes it.
      waiting.remove(f.tp);
      if (consumer.assignment().contains(f.tp)) {
        consumer.seek(f.tp, f.record.offset());
      }
    }
  }

  /** Stops taking records, lets running jobs finish and commits them (up to 10 minutes), then leaves the group. */
  @Override
  public void close() {
    draining = true;
    synchronized (inFlight) {
      final long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        try {
          inFlight.wait(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    stop(Duration.ofSeconds(10));
  }

  /** Dies like a killed process: interrupts jobs, commits nothing more. For fault-injection tests. */
  public void crash() {
    pool.shutdownNow();
    stop(Duration.ZERO);
  }

  private void stop(final Duration producerClose) {
    open.set(false);
    consumer.wakeup();
    try {
      if (thread != null) {
        thread.join(Duration.ofSeconds(30).toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    producer.close(producerClose);
    consumerMeters.close();
    producerMeters.close();
  }

  /** A record's job and, once it ran, its outputs. */
  private static final class Finished {
    final TopicPartition tp;
    final ConsumerRecord<String, byte[]> record;
    volatile List<Output<?>> outputs;

    Finished(final TopicPartition tp, final ConsumerRecord<String, byte[]> record) {
      this.tp = tp;
      this.record = record;
    }
  }
}
