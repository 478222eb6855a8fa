package io.r2estream.producers.push;

/** A registration or push the service cannot act on: bad sha, unknown commit, missing path (HTTP 400). */
public final class InvalidRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidRequestException(final String message) {
    super(message);
  }

  public InvalidRequestException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
