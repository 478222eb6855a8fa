package io.r2estream.producers.tasks;

/** A dataset row that cannot become a task: a missing or mistyped field, or a task that fails {@link TaskChecks}. */
public final class RowException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RowException(final String message) {
    super(message);
  }
}
