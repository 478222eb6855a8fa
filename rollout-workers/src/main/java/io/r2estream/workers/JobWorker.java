package io.r2estream.workers;

import io.r2estream.topics.DeadLetters;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
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
  private final Job<V> job;
  private final int concurrency;
  private final String registryUrl;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final Deserializer<V> deserializer;
  private final ExecutorService pool;
  private final Map<TopicPartition, ArrayDeque<InFlight>> inFlight = new HashMap<>();
  private final Map<String, Serializer<SpecificRecord>> serializers = new HashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile boolean draining;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final Clock clock = Clock.systemUTC();
  private Thread thread;

  /**
   * @param kafka client properties shared by the consumer and producer (bootstrap servers, security)
   */
  public JobWorker(final String name, final TopicSpec<V> input, final String groupId, final Map<String, Object> kafka,
      final String registryUrl, final int concurrency, final Job<V> job) {
    this.name = name;
    this.input = input;
    this.job = job;
    this.concurrency = concurrency;
    this.registryUrl = registryUrl;
    final Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, concurrency);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    final Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-out");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.deserializer = R2eSerdes.valueSerde(input, registryUrl).deserializer();
    this.pool = Executors.newFixedThreadPool(concurrency, r -> {
      final Thread t = new Thread(r, name + "-job");
      t.setDaemon(true);
      return t;
    });
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
          // Paused state is not kept across assignments; the loop re-pauses when the pool is full.
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
    List<Output<?>> outputs;
    try {
      final V value;
      try {
        value = deserializer.deserialize(rec.topic(), rec.value());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot deserialize " + input.valueType().getSimpleName() + " at "
            + rec.topic() + "-" + rec.partition() + "@" + rec.offset() + ": " + e.getMessage(), e);
      }
      if (value == null) {
        outputs = List.of();
      } else {
        outputs = job.handle(rec.key(), value);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      LOG.warn("{}: record {} to the dead-letter topic: {}", name, rec.key(), e.toString());
      deadLettered.incrementAndGet();
      outputs = List.of(new Output<>(Topics.dlqOf(input), rec.key(), DeadLetters.of(rec.topic(), rec.partition(),
          rec.offset(), rec.key(), rec.value(), name, e, clock.instant())));
    }
    try {
      final List<Future<?>> acks = new ArrayList<>();
      for (final Output<?> o : outputs) {
        acks.add(producer.send(new ProducerRecord<>(o.topic().name(), o.key(), serialize(o))));
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

  @SuppressWarnings("unchecked")
  private byte[] serialize(final Output<?> o) {
    if (o.value() == null) {
      return null;
    }
    final Serializer<SpecificRecord> s;
    synchronized (serializers) {
      s = serializers.computeIfAbsent(o.topic().name(),
          t -> (Serializer<SpecificRecord>) R2eSerdes.valueSerde((TopicSpec<SpecificRecord>) o.topic(), registryUrl)
              .serializer());
    }
    return s.serialize(o.topic().name(), o.value());
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
