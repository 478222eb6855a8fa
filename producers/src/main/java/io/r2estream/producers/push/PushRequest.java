package io.r2estream.producers.push;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One line of a post-receive hook's input: {@code <oldrev> <newrev> <refname>}.
 *
 * @param before old revision; 40 zeros for a new branch
 * @param after  new revision; 40 zeros for a deleted branch
 * @param ref    updated ref, e.g. refs/heads/main
 */
@Serdeable
public record PushRequest(@Nullable String before, @Nullable String after, @Nullable String ref) {
}
