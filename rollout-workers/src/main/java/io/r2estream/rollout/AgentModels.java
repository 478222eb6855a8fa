package io.r2estream.rollout;

import io.r2estream.agent.AgentModel;
import io.r2estream.agent.EmptySubmitModel;
import io.r2estream.agent.LlmModel;
import io.r2estream.agent.OracleModel;
import io.r2estream.agent.ReplayModel;
import io.r2estream.avro.RolloutRequest;
import io.r2estream.avro.TaskInstance;
import io.r2estream.llm.LlmClient;
import io.r2estream.llm.LlmConfig;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the model a rollout request names: {@code oracle}, {@code empty-submit} and {@code replay} (of the trajectory
 * agent_config {@code replay_of} names, found through {@link RecordedTrajectories}) are the deterministic models;
 * any other name is an LLM at the request's {@code base_url} (agent_config) or the configured endpoint. One client
 * per endpoint, so its concurrency limit holds across rollouts. API keys come from configuration or the
 * environment only, never from requests (requests travel through topics).
 */
public final class AgentModels {

  /** agent_config key of the endpoint a request wants. */
  public static final String BASE_URL = "base_url";
  private final LlmConfig defaults;
  private final RecordedTrajectories recorded;
  private final Map<String, LlmClient> clients = new ConcurrentHashMap<>();

  /** Without recorded trajectories: replay requests are refused. */
  public AgentModels(final LlmConfig defaults) {
    this(defaults, RecordedTrajectories.NONE);
  }

  public AgentModels(final LlmConfig defaults, final RecordedTrajectories recorded) {
    this.defaults = defaults;
    this.recorded = recorded;
  }

  public AgentModel forRequest(final RolloutRequest request, final TaskInstance task) {
    final String name = request.getModel();
    if (OracleModel.NAME.equals(name)) {
      return new OracleModel(task.getPatch(), task.getEnvironment().getWorkdir());
    }
    if (EmptySubmitModel.NAME.equals(name)) {
      return new EmptySubmitModel();
    }
    if (ReplayModel.NAME.equals(name)) {
      final String of = request.getAgentConfig().get(ReplayModel.AGENT_CONFIG_KEY);
      if (of == null || of.isBlank()) {
        throw new IllegalArgumentException("rollout " + request.getRolloutId() + " asks for a replay but its"
            + " agent_config has no " + ReplayModel.AGENT_CONFIG_KEY + " naming the rollout to replay");
      }
      return ReplayModel.of(recorded.find(task.getInstanceId(), of).orElseThrow(() -> new IllegalArgumentException(
          "rollout " + request.getRolloutId() + " replays " + of + ", which has no trajectory for task "
              + task.getInstanceId())));
    }
    final String url = request.getAgentConfig().getOrDefault(BASE_URL, defaults.baseUrl());
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("rollout " + request.getRolloutId() + " asks for model '" + name
          + "' but no LLM endpoint is configured (r2e.llm.base-url, R2E_LLM_BASE_URL or agent_config.base_url)");
    }
    final LlmClient client = clients.computeIfAbsent(url + " " + name, k -> new LlmClient(new LlmConfig(url, name,
        defaults.apiKey(), defaults.requestTimeout(), defaults.maxRetries(), defaults.initialBackoff(),
        defaults.maxBackoff(), defaults.maxConcurrency()), io.r2estream.metrics.MeterNames.ROLE_AGENT));
    return new LlmModel(client, name);
  }
}
