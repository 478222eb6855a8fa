package io.r2estream.registry;

/** An error answered by a schema registry, with Confluent's HTTP status and error code (e.g. 404 / 40401). */
public final class SchemaRegistryException extends RuntimeException {

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(final int httpStatus, final int errorCode, final String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(final String message, final Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }
}
