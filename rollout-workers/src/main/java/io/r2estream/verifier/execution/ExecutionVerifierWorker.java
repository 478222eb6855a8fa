package io.r2estream.verifier.execution;

import io.r2estream.avro.CandidatePatch;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.TestGenPatch;
import io.r2estream.avro.TestScore;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.rollout.TaskCatalog;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import io.r2estream.workers.Output;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution-based verifier worker's job: for each candidate patch, its task from the {@link TaskCatalog} and its
 * task's generated test patches from the {@link TestPatchCatalog}, then one {@link TestScore} to the test-score
 * topic. The testing agent writes test patches at its own pace, so a candidate may arrive first: it waits up to
 * {@code testgenWait} for {@code samples} test patches of its task, then is scored with those that exist (possibly
 * none: an empty reproduction score list); the score names the test patches it used ({@code testgen_ids}), so a
 * consumer can tell a score on fewer tests. Re-scoring when more arrive later is not done here. A candidate whose
 * task never appears is a dead letter.
 */
public final class ExecutionVerifierWorker implements JobWorker.Job<CandidatePatch> {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutionVerifierWorker.class);
  private final TaskCatalog tasks;
  private final TestPatchCatalog testPatches;
  private final ExecutionVerifier verifier;
  private final Path repoCacheDir;
  private final int samples;
  private final Duration taskWait;
  private final Duration testgenWait;

  public ExecutionVerifierWorker(final TaskCatalog tasks, final TestPatchCatalog testPatches,
      final ExecutionVerifier verifier, final Path repoCacheDir, final int samples, final Duration taskWait,
      final Duration testgenWait) {
    this.tasks = tasks;
    this.testPatches = testPatches;
    this.verifier = verifier;
    this.repoCacheDir = repoCacheDir;
    this.samples = samples;
    this.taskWait = taskWait;
    this.testgenWait = testgenWait;
  }

  @Override
  public List<Output<?>> handle(final String key, final CandidatePatch candidate) throws Exception {
    final TaskInstance task = tasks.await(candidate.getTaskId(), taskWait).orElseThrow(() ->
        new IllegalArgumentException("candidate " + candidate.getCandidateId() + " names task "
            + candidate.getTaskId() + ", which is not on " + Topics.TASKS.name() + " (waited "
            + taskWait.toSeconds() + " s)"));
    final List<TestGenPatch> tests = testPatches.await(task.getInstanceId(), samples, testgenWait);
    final TestScore score;
    try (HostRepository repo = HostRepository.open(task.getRepo(), task.getSourceUrl(), repoCacheDir)) {
      score = verifier.score(task, candidate.getCandidateId(), candidate.getPatch(), tests, repo);
    }
    LOG.info("{}: {} regression {}/{} reproduction {}", candidate.getCandidateId(), score.getStatus(),
        score.getRegressionPassed(), score.getRegressionTotal(), score.getReproductionScores());
    return List.of(new Output<>(Topics.SCORES_TEST, task.getInstanceId(), score));
  }
}
