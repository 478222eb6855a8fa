package io.r2estream.rollout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.agent.AgentMode;
import io.r2estream.agent.ReplayModel;
import io.r2estream.avro.DeadLetter;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.Trajectory;
import io.r2estream.avro.TrajectoryStep;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.backtranslation.ProblemStatements;
import io.r2estream.embedded.KafkaBrokerExtension;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.EnvValidator;
import io.r2estream.envbuilder.SampleCandidates;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.llm.LlmConfig;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.reward.TaskGrader;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import io.r2estream.streams.tasks.TaskInstances;
import io.r2estream.topics.Topics;
import io.r2estream.workers.AvroTopicRecords;
import io.r2estream.workers.ExactlyOnceJobWorker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollout workers on the real broker and engine: requests in, live steps, trajectories and candidates out; a member
 * killed in the middle of a rollout has it redone by another, and read_committed readers see exactly one trajectory
 * per rollout; a replay request re-issues a recorded trajectory found on the trajectories topic; a request for a
 * task that does not exist, or a replay of a rollout that has no trajectory, is a dead letter.
 */
class RolloutWorkerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
  private static final String REGISTRY = "mock://rollout-worker-it";
  private static final AvroTopicRecords RECORDS = new AvroTopicRecords(KAFKA::bootstrapServers, REGISTRY);
  private static final String OWNER = "r2e-test-rollout-worker";

  @TempDir
  Path tmp;

  @Test
  void aRolloutOfAKilledMemberIsCompletedExactlyOnceByAnother() throws Exception {
    final Map<String, Object> kafka = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    final String group = "g-" + UUID.randomUUID();
    try (DockerContainerRuntime runtime = new DockerContainerRuntime(OWNER)) {
      new PythonBaseImage(runtime).ensure();
      final EnvImages images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048));
      final TaskMaterializer materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
      final EnvCandidate c = SampleCandidates.of(SampleCandidates.sampleProject(tmp.resolve("textkit")),
          "textkit-worker").get(0);
      final EnvValidation v = new EnvValidator(runtime, images, materializer, RecipeRegistry.defaults(),
          new EnvValidator.Settings(1, false, tmp.resolve("cache"), PythonBaseImage.DEFAULT_TAG, OWNER),
          Clock.systemUTC()).validate(c);
      assertEquals(ValidationStatus.NEW_COMMIT_BETTER, v.getStatus(), v.getDetail());
      final TaskInstance task = TaskInstances.from(v, ProblemStatements.fromCommitMessage(v, "test", Instant.now()));
      RECORDS.send(Topics.TASKS, task.getInstanceId(), task);
      final List<RolloutRequest> requests = List.of(request(task, "oracle", 0), request(task, "empty-submit", 1));

      final CountDownLatch started = new CountDownLatch(1);
      final ExactlyOnceJobWorker<RolloutRequest> doomed = new ExactlyOnceJobWorker<>("doomed", Topics.ROLLOUT_REQUESTS,
          group, kafka, REGISTRY, 1, (key, r) -> {
            started.countDown();
            new CountDownLatch(1).await(); // a rollout still running when the process dies
            throw new AssertionError("unreachable");
          }).start();
      requests.forEach(r -> RECORDS.send(Topics.ROLLOUT_REQUESTS, r.getRolloutId(), r));
      RECORDS.send(Topics.ROLLOUT_REQUESTS, "nope@1", RolloutRequest.newBuilder(request(task, "oracle", 9))
          .setTaskId("nope@1").setRolloutId("nope@1/run/9").build());
      assertTrue(started.await(60, TimeUnit.SECONDS));
      doomed.crash();

      try (TaskCatalog catalog = new TaskCatalog(kafka, REGISTRY);
           RolloutWorker job = new RolloutWorker(catalog, new AgentModels(LlmConfig.of("", "none", ""),
               new TrajectoryTopicLookup(kafka, REGISTRY)),
               new RolloutRunner(runtime, images, materializer, RecipeRegistry.defaults(),
                   new TaskGrader(runtime, images, materializer, RecipeRegistry.defaults(),
                       TaskGrader.Settings.defaults()), tmp.resolve("cache"), Clock.systemUTC()),
               Duration.ofSeconds(3), kafka, REGISTRY);
           ExactlyOnceJobWorker<RolloutRequest> survivor = new ExactlyOnceJobWorker<>("survivor",
               Topics.ROLLOUT_REQUESTS, group, kafka, REGISTRY, 2, job).start()) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> survivor.committed() == 3);
        // The oracle's trajectory, replayed in the other mode, and a replay of a rollout that never ran.
        final RolloutRequest replay = RolloutRequest.newBuilder(request(task, ReplayModel.NAME, 3)).setAgentConfig(
            Map.of(ReplayModel.AGENT_CONFIG_KEY, requests.get(0).getRolloutId(), AgentMode.AGENT_CONFIG_KEY,
                AgentMode.FUNCTION_CALLING.id())).build();
        RECORDS.send(Topics.ROLLOUT_REQUESTS, replay.getRolloutId(), replay);
        RECORDS.send(Topics.ROLLOUT_REQUESTS, task.getInstanceId(), RolloutRequest.newBuilder(
            request(task, ReplayModel.NAME, 4)).setAgentConfig(Map.of(ReplayModel.AGENT_CONFIG_KEY,
            task.getInstanceId() + "/run-0/0")).build());
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> survivor.committed() == 5);
      }
      final List<Trajectory> trajectories = RECORDS.read(Topics.TRAJECTORIES);
      assertEquals(3, trajectories.size(), "exactly one trajectory per rollout");
      final Map<String, Trajectory> byId = new java.util.HashMap<>();
      trajectories.forEach(t -> byId.put(t.getRolloutId(), t));
      final Trajectory oracle = byId.get(requests.get(0).getRolloutId());
      final Trajectory replayed = byId.get(task.getInstanceId() + "/run-1/3");
      assertEquals(1.0, oracle.getReward());
      assertEquals(0.0, byId.get(requests.get(1).getRolloutId()).getReward());
      assertEquals(1.0, replayed.getReward(), "the replay resolves the task as the recorded oracle did");
      assertEquals(oracle.getOutputPatch(), replayed.getOutputPatch());
      assertEquals("function_calling", replayed.getAgentMode());
      assertEquals(oracle.getSteps().stream().map(TrajectoryStep::getAction).toList(),
          replayed.getSteps().stream().map(TrajectoryStep::getAction).toList());
      assertEquals(3, RECORDS.read(Topics.CANDIDATES).size());
      final List<TrajectoryStep> steps = RECORDS.read(Topics.TRAJECTORY_STEPS);
      assertTrue(steps.size() >= 2, "live steps of both rollouts");
      final List<DeadLetter> dead = RECORDS.read(Topics.dlqOf(Topics.ROLLOUT_REQUESTS));
      assertEquals(2, dead.size());
      assertTrue(dead.stream().anyMatch(d -> d.getErrorMessage().contains("names task nope@1")), dead.toString());
      assertTrue(dead.stream().anyMatch(d -> d.getErrorMessage().contains("replays " + task.getInstanceId()
          + "/run-0/0, which has no trajectory")), dead.toString());
      assertEquals(0, runtime.ownContainerIds().size(), "no container left behind");
    }
  }

  private static RolloutRequest request(final TaskInstance task, final String model, final int sample) {
    return RolloutRequest.newBuilder().setRolloutId(task.getInstanceId() + "/run-1/" + sample)
        .setTaskId(task.getInstanceId()).setRunId("run-1").setSample(sample).setModel(model)
        .setRequestedAt(Instant.now()).build();
  }
}
