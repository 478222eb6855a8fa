package io.r2estream.llm;

/**
 * A chat call that did not produce a completion: retries exhausted, a non-retryable HTTP status, an unreadable
 * response, or an interrupt. Messages never contain the API key.
 */
public final class LlmException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int attempts;

  LlmException(final String message, final int status, final int attempts, final Throwable cause) {
    super(message, cause);
    this.status = status;
    this.attempts = attempts;
  }

  /** The last HTTP status, or -1 when the last attempt got no response (I/O error, timeout). */
  public int status() {
    return status;
  }

  /** HTTP attempts made. */
  public int attempts() {
    return attempts;
  }
}
