package io.r2estream.producers.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.r2estream.avro.CommitEvent;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.TopicReader;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.testkit.TestRepo;
import io.r2estream.topics.TaskIds;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class PushIngestIT {

  private static final String REGISTRY = "mock://push-ingest-it";

  @TempDir
  static Path dir;
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterAll
  static void dropRegistry() {
    InMemorySchemaRegistryClient.dropScope("push-ingest-it");
  }

  private static Map<String, Object> serverProperties() {
    return Map.of("micronaut.server.port", -1,
        IngestSettings.BOOTSTRAP_SERVERS, KAFKA.bootstrapServers(),
        IngestSettings.REGISTRY_URL, REGISTRY,
        IngestSettings.STATE_DIR, dir.resolve("state").toString());
  }

  @Test
  void aPushPublishesExactlyThePushedCommitsAndRegistrationsSurviveARestart() throws Exception {
    try (TestRepo repo = TestRepo.init(dir.resolve("calc"))) {
      repo.write("calc.py", "def add(a, b):\n    return a + b\n").commit("Initial");
      final RevCommit before = repo.write("README.md", "# calc\n").commit("Readme");

      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, serverProperties())) {
        // 1. register the repository, see it listed
        final HttpResponse<String> created = post(server, "/api/repositories",
            "{\"id\": \"calc\", \"path\": \"" + repo.dir() + "\", \"branch\": \"main\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(get(server, "/api/repositories").body().contains("\"id\":\"calc\""));

        // 2. three new commits, one of them a merge, arrive; the hook reports the push
        repo.checkout("topic", true);
        final RevCommit topic = repo.write("topic.py", "T = 1\n").commit("Topic");
        repo.checkout("main", false);
        final RevCommit fix = repo.write("calc.py", "def add(a, b):\n    return b + a\n").commit("Fix add");
        final RevCommit merge = repo.merge("topic", "Merge topic");
        final HttpResponse<String> pushed = post(server, "/api/repositories/calc/push",
            push(before.name(), merge.name(), "refs/heads/main"));
        assertEquals(200, pushed.statusCode(), pushed.body());
        assertTrue(pushed.body().contains("\"published\":2"), pushed.body());
        assertTrue(pushed.body().contains("\"mergesSkipped\":1"), pushed.body());

        // 3. the topic holds exactly the two pushed non-merge commits, tagged as pushed
        final List<ConsumerRecord<String, CommitEvent>> records =
            TopicReader.readCommits(KAFKA.bootstrapServers(), REGISTRY, 2, PushIngestIT::ofCalc);
        assertEquals(List.of(TaskIds.of("calc", topic.name()), TaskIds.of("calc", fix.name())).stream().sorted()
            .toList(), records.stream().map(ConsumerRecord::key).sorted().toList());
        records.forEach(r -> assertEquals("push", r.value().getSource()));

        // 4. other branches and deletions are acknowledged but not scanned
        final HttpResponse<String> other = post(server, "/api/repositories/calc/push",
            push(CommitRange.ZERO_SHA, topic.name(), "refs/heads/topic"));
        assertEquals(200, other.statusCode());
        assertTrue(other.body().contains("\"published\":0") && other.body().contains("only pushes to"),
            other.body());

        // 5. owner/name ids (the default for URL registrations) are addressed URL-encoded
        assertEquals(201, post(server, "/api/repositories",
            "{\"id\": \"acme/calc\", \"path\": \"" + repo.dir() + "\"}").statusCode());
        final HttpResponse<String> slashed = post(server, "/api/repositories/acme%2Fcalc/push",
            push(fix.name(), merge.name(), "refs/heads/main"));
        assertEquals(200, slashed.statusCode(), slashed.body());
        assertTrue(slashed.body().contains("\"repository\":\"acme/calc\"") && slashed.body().contains(
            "\"published\":1"), slashed.body());

        // 6. errors: unknown repository -> 404, malformed or unknown sha -> 400, each a one-line JSON error
        final HttpResponse<String> unknown = post(server, "/api/repositories/nope/push",
            push(before.name(), merge.name(), "refs/heads/main"));
        assertEquals(404, unknown.statusCode());
        assertEquals("{\"error\":\"unknown repository 'nope'\"}", unknown.body());
        final HttpResponse<String> badSha = post(server, "/api/repositories/calc/push",
            push("123", merge.name(), "refs/heads/main"));
        assertEquals(400, badSha.statusCode());
        assertTrue(badSha.body().startsWith("{\"error\":\"'before' must be a 40-character"), badSha.body());
        final HttpResponse<String> missing = post(server, "/api/repositories/calc/push",
            push(before.name(), "ab".repeat(20), "refs/heads/main"));
        assertEquals(400, missing.statusCode(), missing.body());
        assertTrue(missing.body().contains("abababab"), missing.body());
      }

      // 7. a restarted service still knows the repository
      try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, serverProperties())) {
        final HttpResponse<String> listed = get(server, "/api/repositories");
        assertEquals(200, listed.statusCode());
        assertTrue(listed.body().contains("\"id\":\"calc\"") && listed.body().contains("\"branch\":\"main\""),
            listed.body());
      }
    }
    assertEquals(2, TopicReader.readCommits(KAFKA.bootstrapServers(), REGISTRY, 2, PushIngestIT::ofCalc).size(),
        "nothing but the two pushed commits was ever published");
  }

  @Test
  void theShippedPostReceiveHookReportsAGitPushToTheService() throws Exception {
    // 1. a bare repository with the shipped hook installed, registered by path; its id comes from the dir name
    final Path origin = dir.resolve("hooked.git");
    org.eclipse.jgit.api.Git.init().setBare(true).setDirectory(origin.toFile()).setInitialBranch("main").call()
        .close();
    final Path hook = origin.resolve("hooks/post-receive");
    Files.createDirectories(hook.getParent());
    try (InputStream in = PushIngestService.class.getResourceAsStream("/hooks/post-receive")) {
      Files.copy(in, hook);
    }
    Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, serverProperties());
         TestRepo work = TestRepo.init(dir.resolve("hooked-work"))) {
      assertEquals(201, post(server, "/api/repositories", "{\"path\": \"" + origin + "\"}").statusCode());
      final RevCommit one = work.write("a.py", "A = 1\n").commit("One");
      final RevCommit two = work.write("a.py", "A = 2\n").commit("Two");

      // 2. push with the git binary, which runs the hook
      final ProcessBuilder pb = new ProcessBuilder("git", "-C", work.dir().toString(), "push", origin.toString(),
          "main").redirectErrorStream(true);
      pb.environment().put("R2E_INGEST_URL", server.getURL().toString());
      pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
      pb.environment().put("HOME", dir.toString());
      final Process p = pb.start();
      final String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, p.waitFor(), output);
      assertTrue(output.contains("\"published\":2"), output);

      // 3. exactly the two pushed commits are on the topic
      final List<String> keys = TopicReader.readCommits(KAFKA.bootstrapServers(), REGISTRY, 2,
          r -> r.key().startsWith("hooked@")).stream().map(ConsumerRecord::key).sorted().toList();
      assertEquals(List.of(TaskIds.of("hooked", one.name()), TaskIds.of("hooked", two.name())).stream().sorted()
          .toList(), keys);
    }
  }

  @Test
  void withoutKafkaSettingsTheEndpointIsNotThere() throws Exception {
    try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of("micronaut.server.port", -1))) {
      assertEquals(404, get(server, "/api/repositories").statusCode());
      assertTrue(server.getApplicationContext().findBean(PushIngestService.class).isEmpty());
    }
  }

  private static boolean ofCalc(final ConsumerRecord<String, CommitEvent> r) {
    return r.key().startsWith("calc@");
  }

  private static String push(final String before, final String after, final String ref) {
    return "{\"before\": \"" + before + "\", \"after\": \"" + after + "\", \"ref\": \"" + ref + "\"}";
  }

  private HttpResponse<String> post(final EmbeddedServer server, final String path, final String json)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(final EmbeddedServer server, final String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.getURL() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
