package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.envbuilder.EnvBuilderConfig;
import io.r2estream.producers.tasks.TaskTopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `r2e rollout` and `r2e trajectories export` as a user runs them against a platform whose SWE-GEN workers have
 * turned the sample's history into tasks: the oracle resolves a task in text mode, a replay of that run in
 * function-calling mode resolves it again without any model, and the export holds both trajectories.
 */
class RolloutCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void oracleRunThenItsReplayInTheOtherModeThenTheExport() throws Exception {
    final Path repo = SampleProject.materialize(dir.resolve("sample"));
    try (EmbeddedPlatform platform = EmbeddedPlatform.start(TestPlatforms.config(dir.resolve("data"),
        Map.of(ConfigKeys.CONNECT_ENABLED, false, EnvBuilderConfig.ENABLED_CONFIG, true)), l -> { })) {
      final String[] target = {"-D", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + platform.bootstrapServers(),
          "-D", ConfigKeys.REGISTRY_URL + "=" + platform.registryUrl(),
          "-D", ConfigKeys.DATA_DIR + "=" + dir.resolve("cli")};
      run(0, CliRun.concat(target, "ingest", repo.toString(), "--repo-id", "acme/textkit"));
      final String task = firstTask(platform);

      final String oracle = run(0, CliRun.concat(target, "rollout", "--tasks", Pattern.quote(task), "--k", "2", "--model",
          "oracle", "--timeout", "PT5M"));
      assertTrue(oracle.contains("oracle: 2 of 2 rollouts resolved their task (100%)"), oracle);
      assertTrue(oracle.contains("in text mode"), oracle);
      assertTrue(Pattern.compile("model calls \\d+  latency p50 \\d+ ms  p90 \\d+ ms  tokens 0 prompt \\+ 0 completion")
          .matcher(oracle).find(), oracle);
      final Matcher runId = Pattern.compile("as (run-[0-9a-f]{8})").matcher(oracle);
      assertTrue(runId.find(), oracle);

      final String replay = run(0, CliRun.concat(target, "rollout", "--tasks", Pattern.quote(task), "--k", "2", "--model",
          "replay", "--replay", runId.group(1), "--mode", "function_calling", "--timeout", "PT5M"));
      assertTrue(replay.contains("replay: 2 of 2 rollouts resolved their task (100%)"), replay);
      run(2, CliRun.concat(target, "rollout", "--model", "oracle", "--replay", runId.group(1))); // --replay needs replay

      final Path rows = dir.resolve("traj.jsonl");
      final String export = run(0, CliRun.concat(target, "trajectories", "export", rows.toString(), "--tasks",
          Pattern.quote(task)));
      assertTrue(export.contains("Wrote 4 trajectories"), export);
      final List<String> lines = Files.readAllLines(rows, StandardCharsets.UTF_8);
      assertEquals(4, lines.size());
      for (final String line : lines) {
        final JsonNode row = JSON.readTree(line);
        assertEquals(1.0, row.path("reward").asDouble(), line);
        assertTrue(row.path("output_patch").asText().contains("+++ b/"), line);
      }
    }
  }

  private static String firstTask(final EmbeddedPlatform platform) throws InterruptedException {
    final long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      final Map<String, ?> tasks = TaskTopicReader.readAll(platform.bootstrapServers(), platform.registryUrl());
      if (!tasks.isEmpty()) {
        return tasks.keySet().iterator().next();
      }
      Thread.sleep(1000);
    }
    throw new AssertionError("no validated task on the task topic within 5 minutes");
  }

  private static String run(final int expectedExit, final String... args) {
    final CliRun r = CliRun.of(args);
    assertEquals(expectedExit, r.exitCode(), "exit code of r2e " + String.join(" ", args) + "\n" + r.out() + r.err());
    return r.out();
  }
}
