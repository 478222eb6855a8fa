package io.r2estream.topics;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the catalogue's topics that do not exist yet. Safe to run at every start-up, from any component. */
public final class TopicCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

  private TopicCreator() {
  }

  /**
   * Waits until every partition of the topics has a leader. Topic creation returns before the broker's metadata
   * knows the new partitions; clients that write at once would otherwise see "unknown topic" or "not leader".
   */
  public static void awaitLeaders(final Admin admin, final Collection<String> topics, final java.time.Duration timeout) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        final boolean ready = admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .values().stream().allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null
                && !p.leader().isEmpty()));
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("cannot describe topics " + topics + ": " + e.getCause().getMessage(), e);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
      } catch (TimeoutException e) {
        // fall through to the deadline check
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " have no leader after " + timeout);
      }
      try {
        Thread.sleep(50); // metadata propagation has no event to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for topics " + topics, e);
      }
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
      awaitLeaders(admin, names, java.time.Duration.ofSeconds(60));
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
