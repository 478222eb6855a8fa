package io.r2estream.rollout;

import io.r2estream.avro.Trajectory;
import java.util.Optional;

/** Where the {@code replay} model finds the trajectory a request names. */
@FunctionalInterface
public interface RecordedTrajectories {

  /** None: every replay request is refused (a dead letter naming why). */
  RecordedTrajectories NONE = (task, rollout) -> Optional.empty();

  /** The latest trajectory of {@code rolloutId} (which belongs to {@code taskId}), if there is one. */
  Optional<Trajectory> find(String taskId, String rolloutId);
}
