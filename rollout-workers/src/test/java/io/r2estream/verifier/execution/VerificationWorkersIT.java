package io.r2estream.verifier.execution;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.LlmModel;
import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.GradeStatus;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.backtranslation.ProblemStatements;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.SampleCandidates;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.rollout.TaskCatalog;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.streams.tasks.TaskInstances;
import io.r2estream.testgen.TestGenConfig;
import io.r2estream.testgen.TestGenRunner;
import io.r2estream.testgen.TestGenWorker;
import io.r2estream.testkit.llm.ScriptedLlmServer;
import io.r2estream.testkit.llm.ScriptedReply;
import io.r2estream.topics.Topics;
import io.r2estream.workers.AvroTopicRecords;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testing-agent worker and the execution-based verifier worker on the real broker and engine: candidates that
 * arrive before their task's test patches wait for them; the testing agent (scripted LLM) writes a test patch for
 * the task; each candidate gets one test score, the gold patch's reproduction score above the empty patch's; a
 * candidate of a task that does not exist is a dead letter.
 */
class VerificationWorkersIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String REGISTRY = "mock://verification-workers-it";
  private static final AvroTopicRecords RECORDS = new AvroTopicRecords(KAFKA::bootstrapServers, REGISTRY);
  private static final String OWNER = "r2e-test-verification-workers";
  private static final String WRAP = "wrap: allow a line to fill the whole width";

  @TempDir
  Path tmp;

  @Test
  void candidatesWaitForTheTestPatchesAndAreScoredOnceEach() throws Exception {
    final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER);
         ScriptedLlmServer llm = ScriptedLlmServer.start()) {
      runtime.reapLeaked(OWNER);
      new PythonBaseImage(runtime).ensure();
      final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048));
      final TaskMaterializer materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
      final EnvCandidate wrap = SampleCandidates.of(SampleCandidates.sampleProject(tmp.resolve("textkit")),
          "textkit-verification").stream().filter(c -> c.getCommitMessage().startsWith(WRAP)).findFirst()
          .orElseThrow();
      final EnvValidation v = new EnvValidator(runtime, images, materializer, RecipeRegistry.defaults(),
          new EnvValidator.Settings(1, false, tmp.resolve("cache"), PythonBaseImage.DEFAULT_TAG, OWNER),
          Clock.systemUTC()).validate(wrap);
      assertEquals(ValidationStatus.NEW_COMMIT_BETTER, v.getStatus(), v.getDetail());
      final TaskInstance task = TaskInstances.from(v, ProblemStatements.fromCommitMessage(v, "test", Instant.now()));
      final ExecutionVerifier verifier = new ExecutionVerifier(runtime, images, materializer,
          RecipeRegistry.defaults(), ExecutionVerifier.Settings.defaults(), Clock.systemUTC());
      llm.enqueue(ScriptedReply.completion("I write the test.\n<function=file_editor>\n<parameter=command>create"
              + "</parameter>\n<parameter=path>/testbed/test_issue.py</parameter>\n<parameter=file_text>"
              + TestIssueScripts.WRAP_TEST + "</parameter>\n</function>"),
          ScriptedReply.completion("Done.\n<function=finish>\n<parameter=command>submit</parameter>\n</function>"));

      try (TaskCatalog tasks = new TaskCatalog(kafka, REGISTRY);
           TestPatchCatalog tests = new TestPatchCatalog(kafka, REGISTRY);
           ExactlyOnceJobWorker<CandidatePatch> scorer = new ExactlyOnceJobWorker<>("eb", Topics.CANDIDATES,
               "g-eb-" + UUID.randomUUID(), kafka, REGISTRY, 2, new ExecutionVerifierWorker(tasks, tests, verifier,
               tmp.resolve("cache"), 1, Duration.ofSeconds(5), Duration.ofMinutes(3))).start()) {
        RECORDS.send(Topics.TASKS, task.getInstanceId(), task);
        // The candidates come before any test patch: the scorer must wait for it rather than score without it.
        RECORDS.send(Topics.CANDIDATES, task.getInstanceId(), candidate(task, "gold", task.getPatch()));
        RECORDS.send(Topics.CANDIDATES, task.getInstanceId(), candidate(task, "empty", ""));
        RECORDS.send(Topics.CANDIDATES, "nope@1", CandidatePatch.newBuilder(candidate(task, "lost", ""))
            .setTaskId("nope@1").build());
        await().atMost(Duration.ofSeconds(60)).until(() -> scorer.committed() == 1);
        assertEquals(1, RECORDS.read(Topics.dlqOf(Topics.CANDIDATES)).size(),
            "the unknown task's candidate, nothing else");
        try (ExactlyOnceJobWorker<TaskInstance> writer = new ExactlyOnceJobWorker<>("testgen", Topics.TASKS,
            "g-testgen-" + UUID.randomUUID(), kafka, REGISTRY, 1, new TestGenWorker(new TestGenRunner(runtime, images,
            materializer, RecipeRegistry.defaults(), verifier, tmp.resolve("cache"), Clock.systemUTC()),
            new LlmModel(new LlmClient(LlmConfig.of(llm.baseUrl(), "scripted", "k")), "scripted"), 1,
            AgentLimits.defaults())).start()) {
          await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
              .until(() -> writer.committed() == 1 && scorer.committed() == 3);
        }
      }

      final List<TestGenPatch> patches = RECORDS.read(Topics.TESTGEN_PATCHES);
      assertEquals(1, patches.size());
      assertEquals(TestGenConfig.testgenId(task.getInstanceId(), 0), patches.get(0).getTestgenId());
      assertTrue(patches.get(0).getReproducesAtBase(), patches.get(0).getDetail());
      final Map<String, TestScore> scores = new HashMap<>();
      RECORDS.read(Topics.SCORES_TEST).forEach(s -> scores.put(s.getCandidateId(), s));
      assertEquals(2, scores.size(), "one score per candidate of the task");
      final TestScore gold = scores.get(task.getInstanceId() + "/gold");
      final TestScore empty = scores.get(task.getInstanceId() + "/empty");
      assertEquals(GradeStatus.PASS, gold.getStatus(), gold.getDetail());
      assertEquals(List.of(patches.get(0).getTestgenId()), gold.getTestgenIds(), "scored with the test patch");
      assertEquals(List.of(3.0), gold.getReproductionScores());
      assertEquals(List.of(1.0), empty.getReproductionScores());
      assertTrue(gold.getRegressionPassed() >= empty.getRegressionPassed());
      final List<DeadLetter> dead = RECORDS.read(Topics.dlqOf(Topics.CANDIDATES));
      assertEquals(1, dead.size());
      assertTrue(dead.get(0).getErrorMessage().contains("names task nope@1"), dead.toString());
      assertEquals(0, runtime.ownContainerIds().size(), "no container left behind");
    }
  }

  private static CandidatePatch candidate(final TaskInstance task, final String name, final String patch) {
    return CandidatePatch.newBuilder().setCandidateId(task.getInstanceId() + "/" + name)
        .setTaskId(task.getInstanceId()).setRunId("run-1").setSample(0).setModel(name).setPatch(patch)
        .setExitReason("agent").setCreatedAt(Instant.now()).build();
  }
}
