package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.config.ConfigKeys;
import io.r2estream.embedded.EmbeddedKafkaBroker;
import io.r2estream.registry.InMemorySchemaRegistryClient;
import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `r2e tasks import|list|show|export` as a user runs them against a running broker: a SWE-bench JSONL file goes in,
 * the catalogue lists and shows it, and the exported file holds every input field with the same value.
 */
class TasksCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Columns the SWE-bench export adds to the Hugging Face ones. */
  private static final Set<String> EXTENSION_COLUMNS = Set.of("docker_image", "source", "problem_statement_source");

  @TempDir
  Path dir;

  private final String scope = "tasks-cli-" + java.util.UUID.randomUUID();
  private EmbeddedKafkaBroker broker;
  private String[] target;

  @BeforeEach
  void startBroker() {
    broker = new EmbeddedKafkaBroker(dir.resolve("broker"), 0).start();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
    }
    target = new String[] {"-D", ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "=" + broker.bootstrapServers(),
        "-D", ConfigKeys.REGISTRY_URL + "=mock://" + scope, "-D", ConfigKeys.DATA_DIR + "=" + dir.resolve("cli")};
  }

  @AfterEach
  void stopBroker() {
    broker.close();
    InMemorySchemaRegistryClient.dropScope(scope);
  }

  @Test
  void importListShowExportRoundTripsASweBenchFile() throws Exception {
    final Path input = dir.resolve("swebench.jsonl");
    Files.writeString(input, row("astropy__astropy-12907", "astropy/astropy", "[\"t.py::test_a\", \"t.py::test_b\"]",
        "[\"t.py::test_c\"]", "4.3") + "\n"
        + row("django__django-11099", "django/django", "[\"auth_tests.test_validators.UsernameValidatorsTests\"]",
        "[]", "3.0") + "\n", StandardCharsets.UTF_8);

    final Result imported = run("tasks", "import", input.toString(), "--format", "swebench");
    assertEquals(0, imported.code, imported.err);
    assertTrue(imported.out.contains("Imported 2 tasks"), imported.out);

    final Result list = run("tasks", "list");
    assertEquals(0, list.code, list.err);
    assertTrue(list.out.matches("(?s).*astropy__astropy-12907\\s+astropy/astropy\\s+2\\s+1\\s+user.*"), list.out);
    assertTrue(list.out.matches("(?s).*django__django-11099\\s+django/django\\s+1\\s+0\\s+user.*"), list.out);
    final Result limited = run("tasks", "list", "--repo", "django/django", "--limit", "5");
    assertTrue(limited.out.contains("1 of 1 tasks of django/django"), limited.out);
    assertTrue(!limited.out.contains("astropy__astropy-12907"), limited.out);

    final Result show = run("tasks", "show", "astropy__astropy-12907");
    assertEquals(0, show.code, show.err);
    assertTrue(show.out.contains("FAIL_TO_PASS (2):\n  t.py::test_a\n  t.py::test_b"), show.out);
    assertTrue(show.out.contains("--- problem statement ---\nThe statement of astropy__astropy-12907"), show.out);
    assertTrue(show.out.contains("swebench/sweb.eval.x86_64.astropy_1776_astropy-12907:latest"), show.out);
    assertTrue(show.out.contains("--- patch ---\ndiff --git a/src/astropy.py"), show.out);

    final Path exported = dir.resolve("export.jsonl");
    final Result export = run("tasks", "export", exported.toString(), "--format", "swebench");
    assertEquals(0, export.code, export.err);
    assertSameRows(input, exported);

    final Result missing = run("tasks", "show", "nope");
    assertEquals(1, missing.code);
    assertTrue(missing.err.contains("no task 'nope' on r2e.tasks"), missing.err);
  }

  @Test
  void badRowsAreReportedByLineAndTheGoodOnesStillPublished() throws Exception {
    final Path input = dir.resolve("mixed.jsonl");
    Files.writeString(input, row("ok__ok-1", "ok/ok", "[\"t.py::test_a\"]", "[]", "1.0") + "\n"
        + "{\"instance_id\": \"bad__bad-2\"}\n"
        + row("bad__bad-3", "bad/bad", "[]", "[]", "1.0") + "\n", StandardCharsets.UTF_8);

    final Result imported = run("tasks", "import", input.toString(), "--format", "swebench", "--image", "img:1");

    assertEquals(1, imported.code, "non-zero exit when any row was refused");
    assertTrue(imported.err.contains("mixed.jsonl: line 2: field 'repo' is required"), imported.err);
    assertTrue(imported.err.contains("mixed.jsonl: line 3: FAIL_TO_PASS is empty"), imported.err);
    final Result list = run("tasks", "list");
    assertTrue(list.out.contains("1 of 1 tasks"), list.out);
    final Result show = run("tasks", "show", "ok__ok-1");
    assertTrue(show.out.contains("environment:      img:1 (bash /run_tests.sh"), show.out);
  }

  /** A row in the layout of the Hugging Face SWE-bench datasets. */
  private static String row(final String id, final String repo, final String f2p, final String p2p,
      final String version) throws Exception {
    final Map<String, Object> r = new java.util.LinkedHashMap<>();
    r.put("repo", repo);
    r.put("instance_id", id);
    r.put("base_commit", "0123456789abcdef0123456789abcdef01234567");
    r.put("patch", "diff --git a/src/" + repo.split("/")[1] + ".py b/src/" + repo.split("/")[1] + ".py\n"
        + "--- a/src/x.py\n+++ b/src/x.py\n@@ -1 +1 @@\n-a = 1\n+a = 2\n");
    r.put("test_patch", "diff --git a/tests/test_x.py b/tests/test_x.py\n--- a/tests/test_x.py\n"
        + "+++ b/tests/test_x.py\n@@ -1 +1,2 @@\n def test_a(): pass\n+def test_b(): pass\n");
    r.put("problem_statement", "The statement of " + id + "\r\nwith a second line.\n");
    r.put("hints_text", "");
    r.put("created_at", "2022-03-03T15:14:54Z");
    r.put("version", version);
    r.put("FAIL_TO_PASS", f2p);
    r.put("PASS_TO_PASS", p2p);
    r.put("environment_setup_commit", "0123456789abcdef0123456789abcdef01234567");
    return JSON.writeValueAsString(r);
  }

  /** Every input field is in the exported row of the same id, with an equal value (lists compared parsed). */
  private static void assertSameRows(final Path input, final Path exported) throws Exception {
    final Map<String, JsonNode> in = rowsById(input);
    final Map<String, JsonNode> out = rowsById(exported);
    assertEquals(in.keySet(), out.keySet());
    for (final Map.Entry<String, JsonNode> e : in.entrySet()) {
      final JsonNode o = out.get(e.getKey());
      final Set<String> extra = new TreeSet<>();
      o.fieldNames().forEachRemaining(extra::add);
      for (final Iterator<String> names = e.getValue().fieldNames(); names.hasNext(); ) {
        final String name = names.next();
        extra.remove(name);
        final JsonNode expected = e.getValue().get(name);
        final JsonNode actual = o.get(name);
        if (name.equals("FAIL_TO_PASS") || name.equals("PASS_TO_PASS")) {
          assertEquals(JSON.readTree(expected.asText()), JSON.readTree(actual.asText()), name);
        } else {
          assertEquals(expected, actual, e.getKey() + " " + name);
        }
      }
      assertTrue(EXTENSION_COLUMNS.containsAll(extra), "unexpected columns " + extra);
    }
  }

  private static Map<String, JsonNode> rowsById(final Path file) throws Exception {
    final Map<String, JsonNode> rows = new HashMap<>();
    for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        final JsonNode n = JSON.readTree(line);
        rows.put(n.get("instance_id").asText(), n);
      }
    }
    return rows;
  }

  private record Result(int code, String out, String err) {
  }

  /** The same CLI against the same broker for `r2e trajectories export` (latest record per rollout id). */
  @Test
  void trajectoriesExportAsR2eGymRowsAndSftChats() throws Exception {
    final io.r2estream.avro.TrajectoryStep step = io.r2estream.avro.TrajectoryStep.newBuilder()
        .setRolloutId("t@1/r/0").setTaskId("t@1").setStepIdx(0).setThought("Fix it.")
        .setAction("<function=finish>\n<parameter=command>submit</parameter>\n</function>")
        .setObservation("<<< Finished >>>").setDone(true).build();
    final java.util.function.BiFunction<String, Double, io.r2estream.avro.Trajectory> traj = (id, reward) ->
        io.r2estream.avro.Trajectory.newBuilder().setRolloutId(id).setTaskId("t@1").setRunId("r").setSample(0)
            .setModel("oracle").setProblemStatement("It breaks.").setSteps(java.util.List.of(step))
            .setExitReason("agent").setOutputPatch("diff").setReward(reward)
            .setStartedAt(java.time.Instant.EPOCH).setFinishedAt(java.time.Instant.EPOCH).build();
    try (org.apache.kafka.clients.producer.KafkaProducer<String, io.r2estream.avro.Trajectory> p =
             new org.apache.kafka.clients.producer.KafkaProducer<>(Map.of(
                 org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                 new org.apache.kafka.common.serialization.StringSerializer(),
                 io.r2estream.serde.R2eSerdes.valueSerde(Topics.TRAJECTORIES, "mock://" + scope).serializer())) {
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TRAJECTORIES.name(), "t@1",
          traj.apply("t@1/r/0", 0.0)));
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TRAJECTORIES.name(), "t@1",
          traj.apply("t@1/r/0", 1.0)));
      p.send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.TRAJECTORIES.name(), "t@1",
          traj.apply("t@1/r/1", 0.0)));
    }
    final Path r2e = dir.resolve("traj.jsonl");
    final Result a = run("trajectories", "export", r2e.toString(), "--format", "r2egym");
    assertEquals(0, a.code(), a.err());
    final java.util.List<String> rows = Files.readAllLines(r2e);
    assertEquals(2, rows.size(), "one row per rollout id, the latest");
    final com.fasterxml.jackson.databind.JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(rows.get(0));
    assertEquals("t@1/r/0", first.get("rollout_id").asText());
    assertEquals(1.0, first.get("reward").asDouble());
    assertEquals("agent", first.get("exit_reason").asText());
    assertEquals("<<< Finished >>>", first.get("trajectory_steps").get(0).get("observation").asText());

    final Path sft = dir.resolve("sft.jsonl");
    final Result b = run("trajectories", "export", sft.toString(), "--format", "sft", "--only-resolved");
    assertEquals(0, b.code(), b.err());
    final java.util.List<String> chats = Files.readAllLines(sft);
    assertEquals(1, chats.size(), "only the resolved rollout");
    final com.fasterxml.jackson.databind.JsonNode messages = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(chats.get(0)).get("messages");
    assertEquals(3, messages.size(), "system, the issue, the model's call (the last observation is dropped)");
    assertEquals("system", messages.get(0).get("role").asText());
    assertTrue(messages.get(1).get("content").asText().contains("It breaks."));
    assertEquals("Fix it.\n\n<function=finish>\n<parameter=command>submit</parameter>\n</function>",
        messages.get(2).get("content").asText());
  }

  private Result run(final String... args) {
    final CliRun r = CliRun.of(CliRun.concat(target, args));
    return new Result(r.exitCode(), r.out(), r.err());
  }
}
