package io.r2estream.streams.envgen;

import io.r2estream.avro.CommitRejection;
import io.r2estream.avro.EnvCandidate;

/** What {@link CommitSelector} decided about one commit: selected as an environment candidate, or rejected. */
public sealed interface Selection permits Selection.Selected, Selection.Rejected {

  /** The commit passed every rule. */
  record Selected(EnvCandidate candidate) implements Selection {
  }

  /** The commit failed {@code rejection.rule}, the first failing rule in {@link SweGenRule} order. */
  record Rejected(CommitRejection rejection) implements Selection {
  }
}
