package io.r2estream.deploy.docs;

import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.time.Duration;

/**
 * Renders the topic catalogue as the README's markdown table, so the manual cannot drift from the code
 * (ReadmeTest compares them).
 */
public final class TopicsTable {

  private TopicsTable() {
  }

  public static String markdown() {
    final StringBuilder b = new StringBuilder();
    b.append("| topic | key | value (Avro) | partitions | cleanup | retention | what flows |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (final TopicSpec<?> t : Topics.main()) {
      b.append("| `").append(t.name()).append("` | ").append(t.key()).append(" | `")
          .append(t.valueType().getSimpleName()).append("` | ").append(t.partitions()).append(" | ")
          .append(t.compacted() ? "compact" : "delete").append(" | ").append(retention(t.retention()))
          .append(" | ").append(t.doc()).append(" |\n");
    }
    return b.toString();
  }

  private static String retention(final Duration d) {
    return d == null ? "forever" : d.toDays() + " days";
  }

  public static void main(final String[] args) {
    System.out.print(markdown());
  }
}
