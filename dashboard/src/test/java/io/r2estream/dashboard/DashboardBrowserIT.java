package io.r2estream.dashboard;

import static io.r2estream.dashboard.SampleRecords.candidate;
import static io.r2estream.dashboard.SampleRecords.commit;
import static io.r2estream.dashboard.SampleRecords.judgeScore;
import static io.r2estream.dashboard.SampleRecords.ranking;
import static io.r2estream.dashboard.SampleRecords.rejection;
import static io.r2estream.dashboard.SampleRecords.task;
import static io.r2estream.dashboard.SampleRecords.testScore;
import static io.r2estream.dashboard.SampleRecords.trajectory;
import static io.r2estream.dashboard.SampleRecords.validation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.ValidationStatus;
import io.r2estream.dashboard.view.OffsetView;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.serde.R2eSerdes;
import io.r2estream.topics.TopicSpec;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver) over a real embedded broker: Avro
 * records produced to the topics show up on the pages with the topics' numbers, a record sent while a page is open
 * reaches it through server-sent events, and each page leaves a screenshot under target/.
 */
class DashboardBrowserIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

  private static final String REGISTRY = "mock://dashboard-browser-it";
  private static final String GROUP = "dashboard-it-workers";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TASK_A = "acme/widgets@a1";
  private static final String TASK_B = "acme/widgets@b2";
  private static final String TASK_C = "acme/widgets@c3";
  private static final List<Scored> SCORED = new java.util.concurrent.CopyOnWriteArrayList<>();

  private static KafkaProducer<String, byte[]> producer;
  private static Dashboard dashboard;
  private static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
    for (int i = 1; i <= 4; i++) {
      send(Topics.COMMITS, "acme/widgets@c" + i, commit("acme/widgets", "c" + i));
    }
    send(Topics.COMMITS_REJECTED, "acme/widgets@c3", rejection("acme/widgets", "c3", "no-test-change"));
    send(Topics.COMMITS_REJECTED, "acme/widgets@c4", rejection("acme/widgets", "c4", "too-many-files"));
    send(Topics.ENV_VALIDATIONS, "acme/widgets@c1", validation("acme/widgets", "c1", ValidationStatus.NEW_COMMIT_BETTER));
    send(Topics.TASKS, TASK_A, task(TASK_A));
    send(Topics.TASKS, TASK_B, task(TASK_B));
    send(Topics.TRAJECTORIES, TASK_A, trajectory(TASK_A, 0, "agent", 1.0));
    send(Topics.TRAJECTORIES, TASK_A, trajectory(TASK_A, 1, "agent", 0.0));
    send(Topics.TRAJECTORIES, TASK_A, trajectory(TASK_A, 2, "max_steps", null));
    send(Topics.CANDIDATES, TASK_A, candidate(TASK_A, 0, "agent"));
    send(Topics.CANDIDATES, TASK_A, candidate(TASK_A, 1, "agent"));
    // Scored candidates, for the rankings and the Best@K chart: task A's first candidate dominates; on task B the
    // execution-based verifier prefers the wrong candidate and the judge the right one.
    scored(TASK_A, 0, 1.0, 5, 0.875, 1.0);
    scored(TASK_A, 1, 0.0, 2, 0.125, 0.0);
    scored(TASK_B, 0, 1.0, 3, 0.2, 0.0);
    scored(TASK_B, 1, 0.0, 1, 0.8, 1.0);
    send(Topics.RANKINGS, TASK_A, ranking(TASK_A, List.of(TASK_A + "/run-1/0", TASK_A + "/run-1/1"), true));
    commitGroupAtStartOf(Topics.TASKS.name()); // a consumer group that has read none of the tasks

    dashboard = Dashboard.start(DashboardConfig.of(KAFKA.bootstrapServers(), REGISTRY).withPort(0)
        .withRefresh(Duration.ofMillis(200)));
    browser = chromium();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (producer != null) {
      producer.close();
    }
  }

  @Test
  void overviewShowsTheTopicsNumbersAndUpdatesLiveThroughServerSentEvents() throws Exception {
    browser.get(dashboard.url());
    awaitText("funnel-commits", String.valueOf(endOffsets(Topics.COMMITS.name())));
    assertEquals("4", text("funnel-commits"));
    assertEquals("2", text("funnel-rejected"));
    assertEquals("1", text("funnel-validations"));
    assertEquals(String.valueOf(endOffsets(Topics.TASKS.name())), text("funnel-tasks"));
    assertTrue(table("rejections").contains("no-test-change 1") && table("rejections").contains("too-many-files 1"),
        table("rejections"));
    assertEquals("3", text("rollouts-trajectories"));
    assertEquals("1", text("rollouts-resolved"));
    assertEquals("2", text("rollouts-rewarded"));
    assertEquals("50.0 %", text("rollouts-rate"));
    assertEquals("360", text("rollouts-tokens"));
    assertEquals("4.0 s", text("rollouts-time"));
    assertTrue(table("exit-reasons").contains("agent 2") && table("exit-reasons").contains("max_steps 1"));
    assertEquals(String.valueOf(endOffsets(Topics.SCORES_TEST.name())), text("verifiers-test"));
    assertEquals(String.valueOf(endOffsets(Topics.SCORES_JUDGE.name())), text("verifiers-judge"));
    assertEquals("1", text("verifiers-resolved"));
    // The group committed offset 0 everywhere and has no members (idle): its lag is every task record (other tests
    // may add some).
    final String groupRow = GROUP + " " + OffsetView.IDLE + " " + Topics.TASKS.name() + " 0 " + endOffsets(Topics.TASKS.name());
    wait(WAIT).withMessage(() -> "groups table lacks '" + groupRow + "': " + table("groups"))
        .until(d -> table("groups").contains(groupRow));
    assertTrue(table("topics").contains(Topics.COMMITS.name() + " 4"), table("topics"));
    screenshot("dashboard-overview.png");

    final String versionBefore = browser.findElement(By.tagName("body")).getAttribute("data-version");
    send(Topics.COMMITS, "acme/widgets@c5", commit("acme/widgets", "c5"));
    awaitText("funnel-commits", "5"); // no reload: only the event stream can change the page
    assertTrue(Long.parseLong(browser.findElement(By.tagName("body")).getAttribute("data-version"))
        > Long.parseLong(versionBefore));
    assertEquals(5, endOffsets(Topics.COMMITS.name()));
  }

  @Test
  void bestKChartShowsTheCurvesOfTheScoredCandidatesAndFollowsNewScoresLive() throws Exception {
    browser.get(dashboard.url());
    awaitChart(expectedBestK());
    // Hybrid, EB and Weighted pick task B's wrong candidate at K=2, the judge (EF) the right one: the curves part.
    assertEquals(0.5, chart().get("Hybrid|2"), 1e-9);
    assertEquals(1.0, chart().get("EF|2"), 1e-9);
    assertTrue(table("bestk-table").startsWith("1 50.0 50.0 50.0 50.0 50.0\n2 50.0 50.0 100.0 50.0 100.0"),
        table("bestk-table"));
    assertTrue(text("bestk-caption").contains("over 2 task(s), 4 candidate(s)"), text("bestk-caption"));
    screenshot("dashboard-bestk.png");

    // A third task while the page is open: regression ties, the judge picks the wrong one; only the event stream
    // can bring the new curve.
    scored(TASK_C, 0, 1.0, 4, 0.3, 1.0);
    scored(TASK_C, 1, 1.0, 4, 0.6, 0.0);
    awaitChart(expectedBestK());
    assertEquals((0.5 + 0.5 + 0.5) / 3, chart().get("EB|2"), 1e-9);
  }

  @Test
  void taskBrowserShowsRankingsAndScoresPerTaskAndLiveNewTasks() throws Exception {
    browser.get(dashboard.url() + "tasks.html");
    awaitText("ranking-count", "1");
    final long tasks = endOffsets(Topics.TASKS.name());
    awaitText("task-count", String.valueOf(tasks));
    browser.findElement(By.cssSelector("#rankings a[data-task='" + TASK_A + "']")).click();
    wait(WAIT).until(ExpectedConditions.textToBe(By.id("task-title"), TASK_A));
    final String ranking = table("candidates");
    assertTrue(ranking.contains("1 " + TASK_A + "/run-1/0 1 PASS 1 PASS 0.875 –"), ranking);
    assertTrue(ranking.contains("2 " + TASK_A + "/run-1/1 0.500 FAIL 0 PASS 0.125 –"), ranking);
    assertTrue(table("task-trajectories").contains(TASK_A + "/run-1/2 max_steps"), table("task-trajectories"));
    screenshot("dashboard-tasks.png");

    send(Topics.TASKS, "acme/widgets@d4", task("acme/widgets@d4"));
    awaitText("task-count", String.valueOf(tasks + 1));
    assertTrue(table("tasks").contains("acme/widgets@d4"));
  }

  @Test
  void trajectoryViewerShowsStepsAndTheFinalPatchBesideTheGoldPatch() throws Exception {
    browser.get(dashboard.url() + "trajectory.html?id=" + java.net.URLEncoder.encode(TASK_A + "/run-1/0",
        java.nio.charset.StandardCharsets.UTF_8));
    wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("steps"),
        "Look at the failing module 0"));
    assertTrue(text("steps").contains("<function=file_editor>view</function>"));
    assertTrue(text("steps").contains("def mod(): return 0"));
    assertEquals("+agent fix 0", text("output-patch"));
    assertTrue(text("gold-patch").contains("gold fix of " + TASK_A), text("gold-patch"));
    assertEquals("1 passed (sample 0)", text("test-output"));
    assertEquals("agent", text("trajectory-exit-reason"));
    screenshot("dashboard-trajectory.png");
  }

  /** What the test told the verifiers about one candidate, to compute Best@K independently of the dashboard. */
  private record Scored(String task, String candidate, int regression, double judge, double truth) {
  }

  /**
   * Sends a candidate's test score (regression count, hidden-test reward) and judge score, and remembers them for
   * {@link #expectedBestK}.
   */
  private static void scored(final String task, final int sample, final double testScore, final int regression,
      final double pYes, final double hiddenReward) throws Exception {
    final String id = task + "/run-1/" + sample;
    send(Topics.SCORES_TEST, task, testScore(task, id, testScore, regression, hiddenReward));
    send(Topics.SCORES_JUDGE, task, judgeScore(task, id, pYes));
    SCORED.add(new Scored(task, id, regression, pYes, hiddenReward));
  }

  /**
   * The Best@K values of {@link #SCORED}, computed here from the rules' definitions (reference 5.3) for tasks of two
   * candidates each: K=1 is the mean ground truth for every method; at K=2 each method selects among both (ties:
   * the mean ground truth of the tied) — EB by regression, EF by P(YES), Hybrid (which keeps max(3, K/2) ≥ 2 by the
   * judge, so both) by regression then P(YES), Weighted by P(YES) + regression / the task's maximum, Pass@K is 1
   * when either resolves. Method|K → fraction of tasks.
   */
  private static Map<String, Double> expectedBestK() {
    final Map<String, List<Scored>> byTask = SCORED.stream().collect(Collectors.groupingBy(Scored::task,
        java.util.TreeMap::new, Collectors.toList()));
    final Map<String, Double> sums = new HashMap<>();
    byTask.values().forEach(c -> {
      assertEquals(2, c.size(), "the hand rules below are for two candidates per task");
      final double maxRegression = Math.max(c.get(0).regression(), c.get(1).regression());
      final Map<String, java.util.function.ToDoubleFunction<Scored>> keys = Map.of(
          "EB", s -> s.regression(), "EF", Scored::judge, "Hybrid", s -> s.regression() * 10 + s.judge(),
          "Weighted", s -> s.judge() + s.regression() / maxRegression, "Pass@K", Scored::truth);
      keys.forEach((method, key) -> {
        sums.merge(method + "|1", (c.get(0).truth() + c.get(1).truth()) / 2, Double::sum);
        final double a = key.applyAsDouble(c.get(0));
        final double b = key.applyAsDouble(c.get(1));
        sums.merge(method + "|2", a == b ? (c.get(0).truth() + c.get(1).truth()) / 2
            : a > b ? c.get(0).truth() : c.get(1).truth(), Double::sum);
      });
    });
    final Map<String, Double> expected = new HashMap<>();
    sums.forEach((k, v) -> expected.put(k, v / byTask.size()));
    return expected;
  }

  /** The chart's points: "method|K" → the exact value its circle carries. */
  private static Map<String, Double> chart() {
    final String points = (String) ((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('#bestk-chart circle')).map(c => c.dataset.method + '|'"
            + " + c.dataset.k + '=' + c.dataset.value).join('\\n');");
    final Map<String, Double> out = new HashMap<>();
    points.lines().filter(l -> !l.isBlank()).forEach(l -> out.put(l.substring(0, l.lastIndexOf('=')),
        Double.parseDouble(l.substring(l.lastIndexOf('=') + 1))));
    return out;
  }

  private static void awaitChart(final Map<String, Double> expected) {
    wait(WAIT).withMessage(() -> "Best@K chart shows " + chart() + ", expected " + expected).until(d -> {
      final Map<String, Double> shown = chart();
      return shown.size() == expected.size() && expected.entrySet().stream().allMatch(e ->
          shown.containsKey(e.getKey()) && Math.abs(shown.get(e.getKey()) - e.getValue()) < 1e-9);
    });
  }

  private static void send(final TopicSpec<? extends SpecificRecord> spec, final String key,
      final SpecificRecord value) throws Exception {
    @SuppressWarnings("unchecked")
    final TopicSpec<SpecificRecord> s = (TopicSpec<SpecificRecord>) spec;
    final byte[] bytes = R2eSerdes.valueSerde(s, REGISTRY).serializer().serialize(spec.name(), value);
    producer.send(new ProducerRecord<>(spec.name(), key, bytes)).get(30, TimeUnit.SECONDS);
  }

  /** Commits offset 0 on every partition of the topic for {@link #GROUP}, as a consumer that has read nothing. */
  private static void commitGroupAtStartOf(final String topic) {
    final Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      c.commitSync(c.partitionsFor(topic).stream().collect(Collectors.toMap(
          p -> new TopicPartition(topic, p.partition()), p -> new OffsetAndMetadata(0))));
    }
  }

  /** Records in the topic: the sum of its partitions' end offsets. */
  private static long endOffsets(final String topic) throws Exception {
    try (Admin admin = KAFKA.admin()) {
      final Map<TopicPartition, OffsetSpec> request = admin.describeTopics(List.of(topic)).allTopicNames().get()
          .get(topic).partitions().stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()),
              p -> OffsetSpec.latest()));
      return admin.listOffsets(request).all().get().values().stream().mapToLong(i -> i.offset()).sum();
    }
  }

  private static WebDriver chromium() {
    // Debian's driver and browser: Selenium Manager must not try to download either.
    System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    final ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--window-size=1400,1700");
    return new ChromeDriver(options);
  }

  private static WebDriverWait wait(final Duration timeout) {
    return new WebDriverWait(browser, timeout);
  }

  private static void awaitText(final String id, final String expected) {
    wait(WAIT).withMessage(() -> "#" + id + " shows '" + text(id) + "', expected '" + expected + "'")
        .until(ExpectedConditions.textToBe(By.id(id), expected));
  }

  /** An element's text, read in one script call: the pages re-render on every event, so elements come and go. */
  private static String text(final String id) {
    return (String) ((JavascriptExecutor) browser).executeScript(
        "const e = document.getElementById(arguments[0]); return e ? e.innerText.trim() : null;", id);
  }

  /** A table's body rows, cells separated by single spaces, rows by newlines (one script call, as above). */
  private static String table(final String id) {
    return (String) ((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr')).map(r =>"
            + " Array.from(r.cells).map(c => c.innerText.trim()).join(' ')).join('\\n');", id);
  }

  private static void screenshot(final String name) throws Exception {
    final Path out = Path.of("target", name);
    Files.createDirectories(out.getParent());
    Files.write(out, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
