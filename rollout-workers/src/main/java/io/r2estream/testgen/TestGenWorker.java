package io.r2estream.testgen;

import io.r2estream.agent.AgentLimits;
import io.r2estream.agent.AgentMode;
import io.r2estream.agent.AgentModel;
import io.r2estream.avro.TaskInstance;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import io.r2estream.workers.Output;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The testing-agent worker's job: for each task on the task topic, {@code samples} runs of the testing agent
 * ({@link TestGenRunner}), one after the other, each a test patch with the deterministic id
 * {@code <task>/testgen/<i>} to the test-patch topic, published together when the last ends. A task published again
 * gets its tests written again under the same ids (the latest record of an id wins downstream); a tombstone is
 * ignored.
 */
public final class TestGenWorker implements JobWorker.Job<TaskInstance> {

  private static final Logger LOG = LoggerFactory.getLogger(TestGenWorker.class);
  private final TestGenRunner runner;
  private final AgentModel model;
  private final int samples;
  private final AgentLimits limits;

  public TestGenWorker(final TestGenRunner runner, final AgentModel model, final int samples,
      final AgentLimits limits) {
    this.runner = runner;
    this.model = model;
    this.samples = samples;
    this.limits = limits;
  }

  @Override
  public List<Output<?>> handle(final String key, final TaskInstance task) {
    final List<Output<?>> out = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      final TestGenRunner.Outcome o = runner.run(task, TestGenConfig.testgenId(task.getInstanceId(), i), model,
          AgentMode.TEXT, limits, null);
      LOG.info("{}: {} ({})", o.patch().getTestgenId(), o.patch().getReproducesAtBase() ? "reproduces"
          : "does not reproduce", o.patch().getDetail());
      out.add(new Output<>(Topics.TESTGEN_PATCHES, task.getInstanceId(), o.patch()));
    }
    return out;
  }
}
