package io.r2estream.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.topics.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code r2e demo} end to end, as a user runs it: the bundled sample prints the funnel the sample's expectations
 * promise, stores its tasks, trajectories and rankings in PostgreSQL and the dataset files and serves them on the
 * dashboard; any local git repository runs through the same path.
 */
class DemoIT {

  private static final Path EXPECTED_FUNNEL = Path.of("..", "samples", "expected-funnel.tsv");
  private static final String MERGE = "skipped_merge";
  /** A row of the printed funnel: indented label, two or more spaces, a count, nothing after. */
  private static final Pattern ROW = Pattern.compile("^ {2,4}(\\S.*?)\\s{2,}(\\d+)$");
  /** A log line (logback-test.xml writes to stdout too) that a background thread may slip into the block. */
  private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");

  /** The headline of a task's ranking in the demo's rankings block. */
  private static final Pattern RANKING_HEAD = Pattern.compile(
      "^ {2}(\\S+)  HYBRID, k=\\d+: selected \\S+, resolves: (yes|no|unknown)$");
  /** A candidate row: rank, candidate, regression, reproduction, judge, truth. */
  private static final Pattern CANDIDATE_ROW = Pattern.compile("^ {4}\\s*\\d+  \\S+(\\s+\\S+){4}$");
  /** A candidate row scored by the execution-based verifier and not by the judge. */
  /** Rank, candidate, regression score, then no reproduction and no judge score (no LLM), then the truth. */
  private static final Pattern RANKED = Pattern.compile("^\\d+\\s+\\S+\\s+\\d+\\s+-\\s+-\\s+[01]$");

  /** What the demo prints once everything is reported and it starts serving. */
  private static final String SERVING = "until Ctrl-C";

  @TempDir
  Path tmp;

  @Test
  void bundledSamplePrintsTheExpectedFunnel() throws Exception {
    final List<String> outcomes = Files.readAllLines(EXPECTED_FUNNEL, StandardCharsets.UTF_8).stream().skip(1)
        .filter(l -> !l.isBlank()).map(l -> l.split("\t", -1)[2]).toList();
    assertEquals(25, outcomes.size(), "the sample's expectations list its 25 commits");

    // The demo keeps serving once it has reported: storage and the dashboard are checked while it does.
    final ServingDemo serving = ServingDemo.start("demo");
    final Run run;
    try {
      final String reported = serving.awaitOutput(SERVING, Duration.ofMinutes(60));
      storedAndShownAsOnTheTopics(reported);
    } finally {
      final CliRun stopped = serving.stop();
      run = new Run(stopped.exitCode(), stopped.out());
    }
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(expectedFunnel(outcomes), funnel(run.out()), run.out());
    // Then every candidate is validated in Docker and becomes a task (no LLM here: statements from commit messages).
    final long candidates = outcomes.stream().filter("candidate"::equals).count();
    assertTrue(Pattern.compile("NEW_COMMIT_BETTER\\s+" + candidates + "\n").matcher(run.out()).find(), run.out());
    assertTrue(Pattern.compile("validated tasks on the task topic\\s+" + candidates + "\n").matcher(run.out()).find(),
        run.out());
    assertTrue(run.out().contains("env images used 1 "), "one env image serves the whole history\n" + run.out());
    assertEquals(candidates, run.out().lines().filter(l -> l.endsWith("  commit-message")).count(), run.out());
    // Then rollouts with the deterministic models (no LLM here): the oracle resolves every task, empty-submit none.
    assertTrue(run.out().contains("Rollouts (no LLM configured: the deterministic oracle and empty-submit models)"),
        run.out());
    assertTrue(run.out().contains("  oracle         resolved " + candidates + " of " + candidates + " tasks"),
        run.out());
    assertTrue(run.out().contains("  empty-submit   resolved 0 of " + candidates + " tasks"), run.out());
    // Then a hybrid ranking per task, on regression scores alone (no judge, no testing agent without an LLM).
    assertTrue(run.out().contains("Hybrid rankings (no LLM configured: the judge and the testing agent are off, so the"
        + " ranking rests on regression scores alone, ties broken by candidate id)"), run.out());
    final Map<String, List<String>> rankings = rankings(run.out());
    assertEquals(candidates, rankings.size(), "a ranking per validated task\n" + run.out());
    rankings.forEach((task, rows) -> {
      assertEquals(List.of("demo-empty-submit/0", "demo-oracle/0"), rows.stream().map(r -> r.split("\\s+")[1])
          .sorted().toList(), "every candidate of " + task + " listed once\n" + run.out());
      rows.forEach(r -> assertTrue(RANKED.matcher(r).matches(), "regression scored, no judge: " + r));
    });
    assertTrue(run.out().contains("  selections that resolve their task: "), run.out());
    assertFalse(run.out().contains("not every candidate scored in time"), run.out());
  }

  /**
   * While the demo serves: the PostgreSQL tables hold a row per task, trajectory and ranked task on the topics, the
   * final dataset files a row per record of r2e.tasks, r2e.trajectories and r2e.rankings, and the dashboard shows
   * the topics' numbers (funnel, rollouts, rankings, a Best@K curve over the ranked tasks).
   */
  private static void storedAndShownAsOnTheTopics(final String out) throws Exception {
    final String bootstrap = printed(out, "^  kafka\\s+(\\S+)\\s+\\d+ ms$");
    final String jdbcUrl = printed(out, "^  postgresql\\s+(jdbc:\\S+)");
    final String dashboard = printed(out, "^  dashboard\\s+(http://\\S+)");
    final Path datasets = Path.of(printed(out, "^  dataset dir\\s+(\\S+)$"));
    assertTrue(dashboard.startsWith("http://127.0.0.1:"), dashboard);
    final Map<String, Integer> tasks = TopicProbe.countPerKey(bootstrap, List.of(Topics.TASKS.name()));
    final int trajectories = total(TopicProbe.countPerKey(bootstrap, List.of(Topics.TRAJECTORIES.name())));
    final Map<String, Integer> rankings = TopicProbe.countPerKey(bootstrap, List.of(Topics.RANKINGS.name()));
    assertFalse(tasks.isEmpty() || trajectories == 0 || rankings.isEmpty(), out);
    // The embedded PostgreSQL's login (EmbeddedPostgresServer): not a secret, and never printed by the demo.
    try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "postgres")) {
      assertEquals(tasks.size(), count(db, "r2e.tasks"), "a row per task on " + Topics.TASKS.name());
      assertEquals(trajectories, count(db, "r2e.trajectories"), "a row per trajectory");
      assertEquals(rankings.size(), count(db, "r2e.rankings"), "a row per ranked task");
      assertEquals(tasks.keySet(), ids(db, "SELECT instance_id FROM r2e.tasks"));
      assertEquals(rankings.keySet(), ids(db, "SELECT task_id FROM r2e.rankings"));
    }
    // Every record of the three topics reaches a final JSONL file (the last roll may still be due: await it).
    Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      assertEquals(total(tasks), DemoSinks.linesInFiles(datasets, Topics.TASKS.name()));
      assertEquals(trajectories, DemoSinks.linesInFiles(datasets, Topics.TRAJECTORIES.name()));
      assertEquals(total(TopicProbe.countPerKey(bootstrap, List.of(Topics.RANKINGS.name()))),
          DemoSinks.linesInFiles(datasets, Topics.RANKINGS.name()));
    });
    assertEquals(tasks.size(), DemoSinks.idsInFiles(datasets, Topics.TASKS.name(), "instance_id", tasks.keySet()));
    assertEquals(rankings.size(), DemoSinks.idsInFiles(datasets, Topics.RANKINGS.name(), "task_id",
        rankings.keySet()));
    DemoSinks.finalLines(datasets, Topics.TRAJECTORIES.name()).forEach(l -> assertTrue(l.startsWith("{\"messages\":"),
        "SFT chat rows: " + l));
    // The dashboard serves the same numbers (it reads the topics on its own: await it catching up).
    Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      final JsonNode overview = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(dashboard + "api/overview")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(total(tasks), overview.at("/funnel/tasks").asInt(), overview.toString());
      assertEquals(trajectories, overview.at("/rollouts/trajectories").asInt(), overview.toString());
      assertEquals(rankings.size(), overview.at("/verifiers/rankedTasks").asInt(), overview.toString());
      // Oracle and empty-submit candidates with their ground truth: a Best@K curve over every ranked task, where
      // one of the two candidates always resolves.
      assertEquals(rankings.size(), overview.at("/bestK/tasks").asInt(), overview.toString());
      assertEquals(1.0, overview.at("/bestK/rows/1/values/Pass@K/mean").asDouble(), 1e-9, overview.toString());
    });
    final String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(page.contains("id=\"bestk-chart\""), page);
  }

  private static String printed(final String out, final String regex) {
    final Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(out);
    assertTrue(m.find(), "no line matching " + regex + " in\n" + out);
    return m.group(1);
  }

  private static int total(final Map<String, Integer> perKey) {
    return perKey.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static int count(final Connection db, final String table) throws Exception {
    try (var st = db.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static java.util.Set<String> ids(final Connection db, final String sql) throws Exception {
    final java.util.Set<String> out = new java.util.TreeSet<>();
    try (var st = db.createStatement(); var rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Task → candidate rows of the "Hybrid rankings" block. */
  private static Map<String, List<String>> rankings(final String out) {
    final List<String> lines = out.lines().filter(l -> !LOG_LINE.matcher(l).matches()).toList();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("Hybrid rankings (")) {
      i++;
    }
    assertTrue(i < lines.size(), "no rankings printed\n" + out);
    final Map<String, List<String>> rows = new LinkedHashMap<>();
    String task = null;
    for (i++; i < lines.size() && lines.get(i).startsWith("  "); i++) {
      final Matcher head = RANKING_HEAD.matcher(lines.get(i));
      if (head.matches()) {
        task = head.group(1);
        assertTrue(rows.put(task, new ArrayList<>()) == null, "one ranking per task: " + task);
      } else if (task != null && CANDIDATE_ROW.matcher(lines.get(i)).matches()) {
        rows.get(task).add(lines.get(i).strip());
      }
    }
    return rows;
  }

  @Test
  void anyLocalRepositoryRunsThroughTheSamePath() throws Exception {
    final EdgeCaseHistory history = EdgeCaseHistory.build(tmp.resolve("calc"));
    final List<String> outcomes = new java.util.ArrayList<>(history.expected.values());
    outcomes.add(MERGE);

    // `r2e swegen` is the demo for a given repository: the whole commit -> task pipeline, Docker validation included.
    final Run run = demo("--data-dir", tmp.resolve("data").toString(), "swegen", history.dir.toString());
    assertEquals(0, run.exitCode(), run.out());
    assertEquals(expectedFunnel(outcomes), funnel(run.out()), run.out());
    assertTrue(run.out().contains("SWE-GEN funnel for calc\n"), run.out());
    assertTrue(run.out().contains("  " + history.sha("bugfix").substring(0, 10) + "  Fix sub returning the wrong sign"),
        run.out());
    assertTrue(Pattern.compile("validated tasks on the task topic\\s+1\n").matcher(run.out()).find(), run.out());
    assertTrue(run.out().contains("calc@" + history.sha("bugfix")), run.out());
  }

  /** The funnel rows the demo must print for commits with these outcomes, in its order. */
  private static Map<String, Long> expectedFunnel(final Collection<String> outcomes) {
    final long merges = count(outcomes, MERGE);
    final long candidates = count(outcomes, EdgeCaseHistory.CANDIDATE);
    final long evaluated = outcomes.size() - merges;
    final Map<String, Long> rules = new java.util.TreeMap<>();
    outcomes.stream().filter(o -> !o.equals(MERGE) && !o.equals(EdgeCaseHistory.CANDIDATE))
        .forEach(o -> rules.merge(o, 1L, Long::sum));
    final Map<String, Long> m = new LinkedHashMap<>();
    m.put("commits in range (non-merge)", evaluated);
    m.put("merges skipped", merges);
    m.put("commit events ingested", evaluated);
    m.put("env candidates", candidates);
    m.put("rejected", evaluated - candidates);
    m.putAll(rules);
    m.put("dead letters", 0L);
    return m;
  }

  private static long count(final Collection<String> outcomes, final String outcome) {
    return outcomes.stream().filter(outcome::equals).count();
  }

  /** The rows of the printed "SWE-GEN funnel" block; a line that is not a row is kept whole so it fails equality. */
  private static Map<String, Long> funnel(final String out) {
    final List<String> lines = out.lines().toList();
    int i = 0;
    while (i < lines.size() && !lines.get(i).startsWith("SWE-GEN funnel for ")) {
      i++;
    }
    assertTrue(i < lines.size(), "no funnel printed");
    final Map<String, Long> rows = new LinkedHashMap<>();
    for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
      final Matcher m = ROW.matcher(lines.get(i));
      if (LOG_LINE.matcher(lines.get(i)).matches()) {
        continue;
      }
      if (m.matches()) {
        rows.put(m.group(1), Long.parseLong(m.group(2)));
      } else {
        rows.put("unexpected line: " + lines.get(i), -1L);
      }
    }
    return rows;
  }

  private record Run(int exitCode, String out) {
  }

  private static Run demo(final String... args) {
    final CliRun r = CliRun.of(args);
    return new Run(r.exitCode(), r.out());
  }
}
