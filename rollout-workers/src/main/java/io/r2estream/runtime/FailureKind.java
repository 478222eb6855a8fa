package io.r2estream.runtime;

/** Infrastructure failures, reported apart from verdicts on a task or candidate. */
public enum FailureKind {
  /** An image could not be built (install step failed, base image missing). */
  IMAGE_BUILD,
  /** The container engine failed or was unreachable. */
  DAEMON,
  /** A command or a whole job exceeded its time limit. */
  TIMEOUT,
  /** Out of memory inside the container. */
  OOM,
  /** The repository or commit could not be read on the host. */
  REPOSITORY
}
