package io.r2estream.producers.commits;

/** A commit event could not be delivered to Kafka; the message names the record key and the topic. */
public final class PublishException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public PublishException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
