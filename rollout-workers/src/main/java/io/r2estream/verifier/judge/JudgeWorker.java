package io.r2estream.verifier.judge;

import io.r2estream.avro.JudgeScore;
import io.r2estream.avro.Trajectory;
import io.r2estream.topics.Topics;
import io.r2estream.workers.JobWorker;
import io.r2estream.workers.Output;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The judge workers' job: each trajectory on {@link Topics#TRAJECTORIES} is one candidate (candidate id = rollout
 * id), judged on its own; its {@link JudgeScore} goes to {@link Topics#SCORES_JUDGE} keyed by task id and names the
 * candidate it belongs to, so a score can never be attached to another candidate (R2E-Gym zips scores back by
 * position, which misaligns them when calls finish out of order). Run it through an exactly-once job worker: the
 * scores topic is not compacted, and a redone record must not leave two scores.
 *
 * <p>A trajectory without rollout id or task id is malformed: the job throws and the worker dead-letters it.
 */
public final class JudgeWorker implements JobWorker.Job<Trajectory> {

  /** Stage name in logs and dead letters. */
  public static final String STAGE = "r2e-judge";
  private static final Logger LOG = LoggerFactory.getLogger(JudgeWorker.class);

  private final Judge judge;

  public JudgeWorker(final Judge judge) {
    this.judge = judge;
  }

  @Override
  public List<Output<?>> handle(final String key, final Trajectory trajectory) {
    if (trajectory.getRolloutId().isBlank() || trajectory.getTaskId().isBlank()) {
      throw new IllegalArgumentException("trajectory under key '" + key + "' has no " + (trajectory.getRolloutId()
          .isBlank() ? "rollout id" : "task id") + " (rollout '" + trajectory.getRolloutId() + "', task '"
          + trajectory.getTaskId() + "'): it cannot be scored as a candidate");
    }
    if (!trajectory.getTaskId().equals(key)) {
      LOG.warn("trajectory {} arrived under key '{}'; its score is keyed by its task id '{}'",
          trajectory.getRolloutId(), key, trajectory.getTaskId());
    }
    final JudgeScore score = judge.score(trajectory);
    LOG.info("{}: judge {} p_yes={} ({}){}", score.getCandidateId(), score.getStatus(), score.getPYes(),
        score.getSource(), score.getCondensed() > 0 ? ", " + score.getCondensed() + " condensed" : "");
    return List.of(new Output<>(Topics.SCORES_JUDGE, trajectory.getTaskId(), score));
  }
}
