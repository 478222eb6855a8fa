package io.r2estream.producers.push;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A repository that accepts push notifications: a local path (the repository the hook runs in) or a git URL
 * (cloned, then fetched on every push).
 *
 * @param id     repository id written to events; derived from the path or URL when blank
 * @param path   local repository directory, or null
 * @param url    git URL, or null
 * @param branch the branch whose pushes are ingested; null accepts every branch
 */
@Serdeable
public record RepositoryRegistration(@Nullable String id, @Nullable String path, @Nullable String url,
    @Nullable String branch) {
}
