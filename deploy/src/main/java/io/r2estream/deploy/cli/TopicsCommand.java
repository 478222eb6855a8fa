package io.r2estream.deploy.cli;

import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code r2e topics}: the catalogue's topics with their record counts on the running cluster. */
@Command(name = "topics", description = "List the platform's topics with record counts.")
final class TopicsCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Override
  public Integer call() {
    final PlatformConfig config = root.config(Map.of());
    try (TopicStats stats = TopicStats.connect(config.kafkaClient())) {
      final Map<String, Long> counts = stats.recordCounts(Topics.all().stream().map(TopicSpec::name).toList());
      System.out.printf("%-28s %10s %5s  %-8s %s%n", "TOPIC", "RECORDS", "PARTS", "POLICY", "KEY");
      for (final TopicSpec<?> t : Topics.all()) {
        final Long n = counts.get(t.name());
        System.out.printf("%-28s %10s %5d  %-8s %s%n", t.name(), n == null ? "missing" : n.toString(),
            t.partitions(), t.compacted() ? "compact" : "delete", t.key());
      }
      System.out.println("(committed records in the log now; compacted topics shrink as Kafka compacts them)");
    }
    return 0;
  }
}
