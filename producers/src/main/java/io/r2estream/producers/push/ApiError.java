package io.r2estream.producers.push;

import io.micronaut.serde.annotation.Serdeable;

/** The one-line JSON body of an error answer: {@code {"error": "..."}}. */
@Serdeable
public record ApiError(String error) {
}
