package io.r2estream.deploy.cli;

import io.r2estream.avro.RolloutRequest;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.producers.rollouts.RolloutRequestPublisher;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.ReplayModel;
import io.r2estream.rollout.AgentModels;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code r2e rollout}: asks the rollout workers of a running platform for K attempts at each matching task and
 * follows them to the end (progress, counts by exit reason, resolved rate, tokens).
 */
@Command(name = "rollout", description = "Run the editing agent K times on each matching task and follow the results.")
final class RolloutCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Option(names = "--tasks", description = "Regular expression a task id must contain (default: every task).")
  String tasks = "";

  @Option(names = "--k", description = "Samples per task (default: ${DEFAULT-VALUE}).")
  int k = 1;

  @Option(names = "--model", required = true,
      description = "Model name at the endpoint, or `oracle` / `empty-submit` / `replay` (deterministic, no LLM).")
  String model;

  @Option(names = "--mode", description = "How the agent calls tools: text (<function=...> in the response, the format"
      + " R2E-Gym's models were trained on) or function_calling (the endpoint's tool calls) (default: ${DEFAULT-VALUE}).")
  String mode = AgentMode.TEXT.id();

  @Option(names = "--replay", description = "With --model replay: the run whose trajectories are re-issued, sample by"
      + " sample (the run id an earlier `r2e rollout` printed).")
  String replayRun;

  @Option(names = "--base-url", description = "OpenAI-compatible endpoint (default: r2e.llm.base-url).")
  String baseUrl;

  @Option(names = "--temperature", description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
  double temperature = 0.0;

  @Option(names = "--max-steps", description = "Advised steps; the hard limit is 10 more (default: ${DEFAULT-VALUE}).")
  int maxSteps = 40;

  @Option(names = "--timeout", description = "How long to follow (default: ${DEFAULT-VALUE}).")
  Duration timeout = Duration.ofHours(2);

  @Override
  public Integer call() {
    final PlatformConfig config = root.config(Map.of());
    final Map<String, Object> bootstrap = config.kafkaClient();
    try (TopicStats probe = TopicStats.connect(bootstrap)) {
      // fails with a clear message when no platform runs
    }
    final Pattern filter = Pattern.compile(tasks);
    final List<String> ids = TaskTopicReader.readAll(bootstrap, config.effectiveRegistryUrl()).keySet().stream()
        .filter(id -> filter.matcher(id).find()).toList();
    if (ids.isEmpty()) {
      System.err.println("no task on r2e.tasks matches '" + tasks + "'");
      return 1;
    }
    final Map<String, String> agentConfig = new HashMap<>();
    try {
      agentConfig.put(AgentMode.AGENT_CONFIG_KEY, AgentMode.of(Map.of(AgentMode.AGENT_CONFIG_KEY, mode)).id());
    } catch (IllegalArgumentException e) {
      System.err.println("--mode: " + e.getMessage());
      return 2;
    }
    if (baseUrl != null) {
      agentConfig.put(AgentModels.BASE_URL, baseUrl);
    }
    if (ReplayModel.NAME.equals(model) != (replayRun != null)) {
      System.err.println("--replay <run> goes with --model replay, and only with it");
      return 2;
    }
    final String runId = "run-" + UUID.randomUUID().toString().substring(0, 8);
    final List<RolloutRequest> requests = RolloutRun.requests(ids, runId, k, model, temperature, maxSteps, agentConfig)
        .stream().map(r -> replayRun == null ? r : RolloutRun.replaying(r, replayRun)).toList();
    System.out.println("Requested " + requests.size() + " rollouts (" + ids.size() + " tasks x " + k + ") of " + model
        + " in " + mode + " mode as " + runId);
    RolloutRequestPublisher.publish(bootstrap, config.effectiveRegistryUrl(), requests);
    final RolloutRun.Result r = RolloutRun.follow(bootstrap, config.effectiveRegistryUrl(), requests, timeout,
        System.out);
    System.out.printf("%s: %d of %d rollouts resolved their task (%.0f%%)%n", model, r.resolved(), r.requested(),
        100.0 * r.resolved() / Math.max(1, r.requested()));
    System.out.println(r.llmCalls());
    return r.trajectories().size() == r.requested() ? 0 : 1;
  }
}
