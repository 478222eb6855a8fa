package io.r2estream.workers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.DeadLetters;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both job workers do with a record, whatever their commit protocol: decode it, run the job, turn a record
 * that cannot be decoded or whose job throws into a dead letter; serialize outputs; and the client settings and
 * job pool they share. Counts each record it finishes in {@code r2e.records.processed}, times every job in
 * {@code r2e.job.duration}; dead letters are counted where they are built ({@link DeadLetters}).
 */
final class JobRecords<V extends SpecificRecord> {

  private static final Logger LOG = LoggerFactory.getLogger(JobRecords.class);

  /** A record's outputs, and whether they are a dead letter instead of the job's. */
  record Handled(List<Output<?>> outputs, boolean deadLetter) {
  }

  private final String name;
  private final TopicSpec<V> input;
  private final String registryUrl;
  private final JobWorker.Job<V> job;
  private final Deserializer<V> deserializer;
  private final Map<String, Serializer<SpecificRecord>> serializers = new HashMap<>();
  private final Clock clock = Clock.systemUTC();
  private final Counter processed;
  private final Timer duration;

  JobRecords(final String name, final TopicSpec<V> input, final String registryUrl, final JobWorker.Job<V> job,
      final MeterRegistry meters) {
    this.name = name;
    this.input = input;
    this.registryUrl = registryUrl;
    this.job = job;
    this.deserializer = R2eSerdes.valueSerde(input, registryUrl).deserializer();
    this.processed = R2eMetrics.processed(meters, name, input.name());
    this.duration = R2eMetrics.timer(meters, MeterNames.JOB_DURATION, MeterNames.COMPONENT, name);
  }

  /** Runs the job on the record; InterruptedException means the worker is dying and nothing may be published. */
  Handled handle(final ConsumerRecord<String, byte[]> rec) throws InterruptedException {
    final long start = System.nanoTime();
    try {
      return decodeAndRun(rec);
    } finally {
      duration.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private Handled decodeAndRun(final ConsumerRecord<String, byte[]> rec) throws InterruptedException {
    try {
      final V value;
      try {
        value = deserializer.deserialize(rec.topic(), rec.value());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("cannot deserialize " + input.valueType().getSimpleName() + " at "
            + rec.topic() + "-" + rec.partition() + "@" + rec.offset() + ": " + e.getMessage(), e);
      }
      final Handled h = new Handled(value == null ? List.of() : job.handle(rec.key(), value), false);
      processed.increment();
      return h;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      LOG.warn("{}: record {} to the dead-letter topic: {}", name, rec.key(), e.toString());
      return new Handled(List.of(new Output<>(Topics.dlqOf(input), rec.key(), DeadLetters.of(rec.topic(),
          rec.partition(), rec.offset(), rec.key(), rec.value(), name, e, clock.instant()))), true);
    }
  }

  @SuppressWarnings("unchecked")
  byte[] serialize(final Output<?> o) {
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

  /** Manual commits, committed reads only, at most {@code concurrency} records per poll. */
  static Map<String, Object> consumerConfig(final Map<String, Object> kafka, final String groupId, final String name,
      final int concurrency) {
    final Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, concurrency);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Cooperative rebalancing: a member joining or leaving moves only the partitions that change owner, so the
    // jobs of every other member (rollouts last minutes) keep running; the eager default would revoke every
    // partition and throw away all jobs in flight. Its assignment also spreads a batch dealt over consecutive
    // partitions across the members, where the range assignor would give it to one.
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
    return c;
  }

  /** lz4, outputs up to the topics' size limit. */
  static Map<String, Object> producerConfig(final Map<String, Object> kafka, final String name) {
    final Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, name + "-out");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TopicSpec.MAX_MESSAGE_BYTES);
    return p;
  }

  /** Kafka's own client meters (fetch rates, lag, request latencies) in {@code meters}; closed with the client. */
  static KafkaClientMetrics bind(final org.apache.kafka.clients.consumer.Consumer<?, ?> consumer,
      final MeterRegistry meters) {
    final KafkaClientMetrics m = new KafkaClientMetrics(consumer);
    m.bindTo(meters);
    return m;
  }

  static KafkaClientMetrics bind(final org.apache.kafka.clients.producer.Producer<?, ?> producer,
      final MeterRegistry meters) {
    final KafkaClientMetrics m = new KafkaClientMetrics(producer);
    m.bindTo(meters);
    return m;
  }

  static ExecutorService pool(final String name, final int concurrency) {
    return Executors.newFixedThreadPool(concurrency, r -> {
      final Thread t = new Thread(r, name + "-job");
      t.setDaemon(true);
      return t;
    });
  }
}
