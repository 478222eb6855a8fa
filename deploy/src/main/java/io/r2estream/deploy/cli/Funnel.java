package io.r2estream.deploy.cli;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the env-generation stage decided for a set of ingested commits.
 *
 * @param undecided task ids with no decision before the deadline (should be empty)
 */
record Funnel(List<EnvCandidate> candidates, List<CommitRejection> rejections, List<DeadLetter> deadLetters,
    List<String> undecided) {

  /** Rejection counts by rule, most frequent first, ties by name. */
  Map<String, Long> rejectionsByRule() {
    final Map<String, Long> counts = rejections.stream()
        .collect(Collectors.groupingBy(r -> r.getRule(), TreeMap::new, Collectors.counting()));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
            java.util.LinkedHashMap::new));
  }
}
