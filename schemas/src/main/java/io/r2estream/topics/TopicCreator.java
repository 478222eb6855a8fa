package io.r2estream.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that do not exist yet. Safe to run at every start-up, from any component. */
public final class TopicCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {
  }

  /**
   * Waits until every partition of the topics has a leader that serves it. Topic creation returns before the
   * broker's metadata knows the new partitions, and the metadata names a leader before that broker acts as one.
   * Producers that write in between get "not leader" and retry; with several batches in flight per partition, an
   * idempotent producer's retries can then reach the new leader out of order and fail with
   * OUT_OF_ORDER_SEQUENCE_NUMBER until their delivery timeout (seen on the embedded broker under load). So this
   * waits for the metadata, then for each partition's leader to answer a ListOffsets request, which only a serving
   * leader does.
   */
  public static void awaitLeaders(final Admin admin, final Collection<String> topics, final Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, TopicDescription> described = null;
    while (described == null) {
      described = describeWithLeaders(admin, topics, timeout);
      if (described == null) {
        pause(topics, deadline, timeout);
      }
    }
    final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    described.values().forEach(d -> d.partitions().forEach(p ->
        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    while (true) {
      try {
        admin.listOffsets(partitions).all().get(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
            TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          throw new IllegalStateException("cannot list offsets of topics " + topics + ": " + e.getCause().getMessage(),
              e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
      } catch (TimeoutException e) {
        // fall through to the deadline check
      }
      pause(topics, deadline, timeout);
    }
  }

  /** The topics' descriptions once every partition has a leader in the metadata, else null. */
  private static Map<String, TopicDescription> describeWithLeaders(final Admin admin,
      final Collection<String> topics, final Duration timeout) {
    try {
      final Map<String, TopicDescription> d = admin.describeTopics(topics).allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return d.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null
          && !p.leader().isEmpty())) ? d : null;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw new IllegalStateException("cannot describe topics " + topics + ": " + e.getCause().getMessage(), e);
      }
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
    } catch (TimeoutException e) {
      return null;
    }
  }

  private static void pause(final Collection<String> topics, final long deadline, final Duration timeout) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("topics " + topics + " have no serving leader after " + timeout);
    }
    try {
      Thread.sleep(50); // leadership has no event to wait on
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
    }
  }

  /**
   * @param admin             connected admin client
   * @param topics            specs to ensure, usually {@link Topics#all()}
   * @param replicationFactor 1 for the embedded broker, 3 on a production cluster
   * @return names of the topics this call created
   */
  public static List<String> ensure(final Admin admin, final Collection<TopicSpec<?>> topics,
      final short replicationFactor) {
    try {
      final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      final List<NewTopic> missing = topics.stream()
          .filter(t -> !existing.contains(t.name()))
          .map(t -> t.newTopic(replicationFactor))
          .toList();
      if (missing.isEmpty()) {
        return List.of();
      }
      try {
        admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // Another component may create the same topics concurrently: that is success, not an error.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      final List<String> names = missing.stream().map(NewTopic::name).toList();
      awaitLeaders(admin, names, Duration.ofSeconds(60));
      LOG.info("Created {} topics: {}", names.size(), names);
      return names;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics: " + e.getMessage(), e);
    }
  }
}
