package io.r2estream.deploy.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.Entity;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.TestPlatforms;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.topics.TaskIds;
import io.r2estream.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole environment-generation path on the real embedded platform: a JGit repository with one commit of each
 * awkward kind is ingested, SWE-GEN decides each commit exactly once, and ingesting the same history again adds no
 * decision.
 */
class PipelineIT {

  private static final String REPOSITORY = "acme/calc";
  private static final Duration DECIDE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CONSUME_TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  @Test
  void decidesEveryCommitExactlyOnceAndReingestingAddsNothing() throws Exception {
    final EdgeCaseHistory history = EdgeCaseHistory.build(tmp.resolve("calc"));
    final Set<String> keys = new LinkedHashSet<>();
    history.expectedBySha().keySet().forEach(sha -> keys.add(TaskIds.of(REPOSITORY, sha)));
    final RepositorySource source = RepositorySource.local(history.dir).withId(REPOSITORY);

    try (EmbeddedPlatform platform = EmbeddedPlatform.start(TestPlatforms.config(tmp.resolve("data")), l -> { })) {
      final String bootstrap = platform.bootstrapServers();
      final IngestRun.Result first = IngestRun.run(source, CommitRange.head(), platform.kafkaClient(), platform.registryUrl());
      assertEquals(1, first.report().stats().mergesSkipped());
      assertEquals(keys, first.keys(), "every commit but the merge is published under its task id");
      assertEquals(keys.size(), first.report().published());

      final Funnel funnel = FunnelCollector.collect(platform.kafkaClient(), platform.registryUrl(), keys, DECIDE_TIMEOUT, n -> { });
      assertEquals(List.of(), funnel.undecided());
      assertEquals(List.of(), funnel.deadLetters());
      assertEquals(new TreeMap<>(history.expectedBySha()), outcomes(funnel));

      final Map<String, CommitRejection> rejected = funnel.rejections().stream()
          .collect(Collectors.toMap(CommitRejection::getCommitSha, Function.identity()));
      assertTrue(rejected.get(history.sha("binary")).getReason().contains("docs/logo.png is binary"),
          rejected.get(history.sha("binary")).getReason());
      assertTrue(rejected.get(history.sha("latin1")).getReason().contains("calc/legacy.py is not UTF-8"),
          rejected.get(history.sha("latin1")).getReason());
      assertTrue(rejected.get(history.sha("refactor")).getReason().startsWith("5 non-test files"),
          rejected.get(history.sha("refactor")).getReason());

      assertBugFixCandidate(history, funnel.candidates().get(0));

      // Each key decided once, on one topic. The barrier (the topology's committed offsets at the end of
      // r2e.commits) makes "nothing more will come" true rather than hoped for.
      await().atMost(CONSUME_TIMEOUT).until(() -> TopicProbe.consumedToEnd(bootstrap, TopicProbe.ENV_GENERATION_GROUP,
          Topics.COMMITS.name()));
      assertEquals(once(keys), TopicProbe.countPerKey(bootstrap, TopicProbe.DECISION_TOPICS));

      // Re-ingest the same history: the events are really published again, and consumed, but decide nothing new.
      final IngestRun.Result again = IngestRun.run(source, CommitRange.head(), platform.kafkaClient(), platform.registryUrl());
      assertEquals(keys, again.keys());
      assertEquals(keys.size(), again.report().published());
      await().atMost(CONSUME_TIMEOUT).until(() -> TopicProbe.consumedToEnd(bootstrap, TopicProbe.ENV_GENERATION_GROUP,
          Topics.COMMITS.name()));
      assertEquals(times(keys, 2), TopicProbe.countPerKey(bootstrap, List.of(Topics.COMMITS.name())));
      assertEquals(once(keys), TopicProbe.countPerKey(bootstrap, TopicProbe.DECISION_TOPICS));
    }
  }

  private void assertBugFixCandidate(final EdgeCaseHistory history, final EnvCandidate fix) throws Exception {
    assertEquals(TaskIds.of(REPOSITORY, history.sha("bugfix")), fix.getTaskId());
    assertEquals(history.sha("root"), fix.getParentSha());
    assertEquals("Fix sub returning the wrong sign\n\nFixes #12.", fix.getCommitMessage());
    // The gold patch and the test patch are git's own per-file diffs, split by R2E-Gym's test-file predicate.
    assertEquals(gitDiff(history.dir, history.sha("root"), history.sha("bugfix"), "calc/ops.py"), fix.getCodePatch());
    assertEquals(gitDiff(history.dir, history.sha("root"), history.sha("bugfix"), "tests/test_ops.py"),
        fix.getTestPatch());
    assertTrue(fix.getCodePatch().contains("\n-    return b - a\n+    return a - b\n"), fix.getCodePatch());
    assertTrue(fix.getTestPatch().contains("\n+def test_sub():\n"), fix.getTestPatch());
    assertEquals(List.of("calc/ops.py"), fix.getModifiedFiles());
    assertEquals(List.of("tests/test_ops.py"), fix.getTestFiles());
    assertEquals(List.of("calc/ops.py FUNCTION sub MODIFIED 5-6"), describe(fix.getModifiedEntities()));
    assertEquals(List.of("tests/test_ops.py FUNCTION test_sub ADDED 8-9"), describe(fix.getTestEntities()));
    assertEquals(1, fix.getStats().getNonTestFiles());
    assertEquals(2, fix.getStats().getNonTestEditedLines());
  }

  /** sha → "candidate", the rejection rule, or "dead_letter". */
  static Map<String, String> outcomes(final Funnel funnel) {
    final Map<String, String> m = new TreeMap<>();
    funnel.candidates().forEach(c -> m.put(c.getCommitSha(), EdgeCaseHistory.CANDIDATE));
    funnel.rejections().forEach(r -> m.put(r.getCommitSha(), r.getRule()));
    funnel.deadLetters().forEach(d -> {
      final String key = d.getKey() == null ? "" : StandardCharsets.UTF_8.decode(d.getKey().duplicate()).toString();
      m.put(key.substring(key.indexOf('@') + 1), "dead_letter");
    });
    return m;
  }

  private static List<String> describe(final List<Entity> entities) {
    return entities.stream().map(e -> e.getFile() + " " + e.getKind() + " " + e.getName() + " " + e.getChange() + " "
        + e.getStartLine() + "-" + e.getEndLine()).toList();
  }

  private static Map<String, Integer> once(final Set<String> keys) {
    return times(keys, 1);
  }

  private static Map<String, Integer> times(final Set<String> keys, final int n) {
    final Map<String, Integer> m = new TreeMap<>();
    keys.forEach(k -> m.put(k, n));
    return m;
  }

  /** {@code git diff -M} of one path between two commits, as the git CLI prints it. */
  private String gitDiff(final Path repo, final String from, final String to, final String path) throws Exception {
    final List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "core.abbrev=7", "diff",
        "--no-color", "--no-ext-diff", "-M", from, to, "--", path));
    final ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("HOME", tmp.toString());
    final Process p = pb.start();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertEquals(0, p.waitFor(), () -> "git diff failed: " + out.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
