package io.r2estream.runtime;

/** An infrastructure failure with its kind, so workers can label it instead of blaming the task. */
public final class RuntimeFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final FailureKind kind;

  public RuntimeFailure(final FailureKind kind, final String message, final Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public RuntimeFailure(final FailureKind kind, final String message) {
    this(kind, message, null);
  }

  public FailureKind kind() {
    return kind;
  }
}
