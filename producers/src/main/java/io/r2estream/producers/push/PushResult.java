package io.r2estream.producers.push;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Answer to a push notification.
 *
 * @param repository    repository id
 * @param ref           the pushed ref
 * @param published     commit events acknowledged by Kafka
 * @param mergesSkipped merge commits in the pushed range, not published
 * @param errors        shas of commits that could not be rendered, with the reason
 * @param ignored       why nothing was scanned (other branch, branch deletion), or null
 */
@Serdeable
public record PushResult(String repository, String ref, long published, long mergesSkipped, List<String> errors,
    @Nullable String ignored) {
}
