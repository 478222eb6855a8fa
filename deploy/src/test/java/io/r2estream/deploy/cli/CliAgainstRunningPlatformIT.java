package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.topics.Topics;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `r2e ingest` and `r2e topics` as a user runs them against a platform started with `r2e up`. */
class CliAgainstRunningPlatformIT {

  @TempDir
  Path dir;

  private static String runCapturingOut(final String... args) {
    final CliRun r = CliRun.of(args);
    assertEquals(0, r.exitCode(), "exit code of r2e " + String.join(" ", args) + "\n" + r.err());
    return r.out();
  }


  @Test
  void ingestPublishesTheHistoryAndTopicsCountsIt() {
    final Path repo = SampleProject.materialize(dir.resolve("sample"));
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(
        TestPlatforms.config(dir.resolve("data"), Map.of(ConfigKeys.CONNECT_ENABLED, false)), l -> { })) {
      // the same configuration keys a user would pass to reach a running platform
      final String[] target = {"-D", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + platform.bootstrapServers(),
          "-D", ConfigKeys.REGISTRY_URL + "=" + platform.registryUrl(),
          "-D", ConfigKeys.DATA_DIR + "=" + dir.resolve("cli")};

      final String ingest = runCapturingOut(CliRun.concat(target, "ingest", repo.toString(), "--repo-id", "acme/textkit",
          "--max-commits", "10"));
      assertTrue(ingest.contains("Ingested acme/textkit: 10 commit events"), ingest);

      final String topics = runCapturingOut(CliRun.concat(target, "topics"));
      assertEquals(10, count(topics, Topics.COMMITS.name()), topics);
      assertTrue(topics.contains(Topics.RANKINGS.name()), topics);

      // The topology writes with exactly-once transactions: their commit markers take offsets but are no records,
      // so once all 10 commits are decided the two output topics hold exactly 10 records together.
      final long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
      String now = topics;
      while (count(now, Topics.ENV_CANDIDATES.name()) + count(now, Topics.COMMITS_REJECTED.name()) < 10
          && System.nanoTime() < deadline) {
        now = runCapturingOut(CliRun.concat(target, "topics"));
      }
      assertEquals(10, count(now, Topics.ENV_CANDIDATES.name()) + count(now, Topics.COMMITS_REJECTED.name()), now);
    }
  }

  private static int count(final String topicsOutput, final String topic) {
    final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(topic) + "\\s+(\\d+)\\s").matcher(topicsOutput);
    assertTrue(m.find(), topicsOutput);
    return Integer.parseInt(m.group(1));
  }
}
