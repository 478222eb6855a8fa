package io.r2estream.producers.push;

/** No repository is registered under the given id (HTTP 404). */
public final class UnknownRepositoryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UnknownRepositoryException(final String id) {
    super("unknown repository '" + id + "'");
  }
}
