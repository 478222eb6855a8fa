package io.r2estream.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.avro.HybridRanking;
import io.r2estream.avro.RankedCandidate;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.registry.SchemaRegistryClients;
import io.r2estream.serde.AvroDeserializer;
import io.r2estream.topics.Topics;
import java.io.BufferedWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code r2e rankings}: the hybrid rankings on the compacted {@code r2e.rankings} (latest per task), shown once,
 * followed as they change, or exported as SWE-bench predictions (the selected patch of each task).
 */
@Command(name = "rankings", description = "Show, follow (--follow) or export (--export) the rankings of the "
    + "candidate patches on r2e.rankings.")
final class RankingsCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParentCommand
  R2eCli root;

  @Option(names = "--follow", description = "Print every ranking update as it happens (Ctrl-C stops).")
  boolean follow;

  @Option(names = "--max-updates", description = "With --follow: stop after N updates.")
  Integer maxUpdates;

  @Option(names = "--export", paramLabel = "FILE.jsonl", description = "Write the selected patch of each task as "
      + "SWE-bench predictions (instance_id, model_name_or_path, model_patch).")
  Path export;

  @Option(names = "--model-name", description = "model_name_or_path of the predictions (default: "
      + "r2e-stream-<mode>, e.g. r2e-stream-hybrid).")
  String modelName;

  @Option(names = "--tasks", description = "Regular expression a task id must contain (default: all).")
  String tasks = "";

  @Override
  public Integer call() throws Exception {
    if (follow && export != null) {
      throw new IllegalArgumentException("--follow and --export do not go together: export reads the current "
          + "rankings once");
    }
    if (maxUpdates != null && maxUpdates < 1) {
      throw new IllegalArgumentException("--max-updates must be at least 1, got " + maxUpdates);
    }
    final PlatformConfig config = root.config(Map.of());
    final Map<String, Object> bootstrap = config.kafkaClient();
    try (TopicStats probe = TopicStats.connect(bootstrap)) {
      // fails with one clear line when nothing is running
    }
    final Pattern filter = Pattern.compile(tasks);
    if (follow) {
      follow(bootstrap, config.effectiveRegistryUrl(), filter);
      return 0;
    }
    final List<HybridRanking> current = TaskTopicReader.latest(bootstrap, config.effectiveRegistryUrl(),
            Topics.RANKINGS, ConsumerRecord::key).values().stream()
        .filter(r -> filter.matcher(r.getTaskId()).find()).toList();
    if (export != null) {
      export(current);
    } else {
      current.forEach(r -> print(System.out, r));
      System.out.println(current.size() + " rankings");
    }
    return 0;
  }

  private void export(final List<HybridRanking> rankings) throws Exception {
    int written = 0;
    try (BufferedWriter out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
      for (final HybridRanking r : rankings) {
        if (r.getBestCandidateId() == null || r.getSelectedPatch() == null) {
          continue;
        }
        final Map<String, Object> row = new LinkedHashMap<>();
        row.put("instance_id", r.getTaskId());
        row.put("model_name_or_path", modelName != null ? modelName
            : "r2e-stream-" + r.getMode().toLowerCase(Locale.ROOT));
        row.put("model_patch", r.getSelectedPatch());
        out.write(JSON.writeValueAsString(row));
        out.newLine();
        written++;
      }
    }
    System.out.println("Exported " + written + " predictions to " + export
        + (written < rankings.size() ? " (" + (rankings.size() - written) + " tasks without a selection)" : ""));
  }

  private void follow(final Map<String, Object> bootstrap, final String registryUrl, final Pattern filter) {
    final AvroDeserializer<HybridRanking> values = new AvroDeserializer<>(HybridRanking.class);
    values.configure(Map.of(SchemaRegistryClients.URL_CONFIG, registryUrl), false);
    int updates = 0;
    try (KafkaConsumer<String, HybridRanking> consumer = new KafkaConsumer<>(
        FollowerConsumers.config(bootstrap, "r2e-rankings-follow-"), new StringDeserializer(), values)) {
      consumer.subscribe(List.of(Topics.RANKINGS.name()));
      while (maxUpdates == null || updates < maxUpdates) {
        for (final ConsumerRecord<String, HybridRanking> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.value() == null || !filter.matcher(r.key()).find()) {
            continue;
          }
          print(System.out, r.value());
          System.out.flush();
          if (maxUpdates != null && ++updates >= maxUpdates) {
            break;
          }
        }
      }
    }
  }

  /** One ranking: the headline (task, mode, selection, does it resolve), a line per candidate, the tie-break. */
  static void print(final PrintStream out, final HybridRanking r) {
    final Boolean resolves = r.getSelectionResolves();
    out.printf("%s  %s  k=%d (%d scored)  selected %s  resolves: %s%n", r.getTaskId(), r.getMode(), r.getK(),
        r.getScoredCandidates(), r.getBestCandidateId(), resolves == null ? "unknown" : resolves ? "yes" : "no");
    out.printf("  %4s  %-40s %10s %12s %7s %8s %5s%n", "RANK", "CANDIDATE", "REGRESSION", "REPRODUCTION",
        "JUDGE", "WEIGHTED", "TRUTH");
    for (final RankedCandidate c : r.getCandidates()) {
      out.printf("  %4d%s %-40s %10s %12s %7s %8s %5s%n", c.getRank(), c.getSurvivor() ? "*" : " ",
          c.getCandidateId(), num(c.getRegressionScore(), "%.0f"), num(c.getReproductionScore(), "%.1f"),
          num(c.getJudgeScore(), "%.3f"), num(c.getWeightedScore(), "%.3f"), num(c.getGroundTruth(), "%.0f"));
    }
    out.println("  tie-break: " + r.getTieBreak());
    out.printf("  selections: hybrid %s, eb %s, ef %s, weighted %s%n", r.getHybridSelection(), r.getEbSelection(),
        r.getEfSelection(), r.getWeightedSelection());
  }

  private static String num(final Double v, final String format) {
    return v == null ? "-" : String.format(Locale.ROOT, format, v);
  }
}
