package io.r2estream.producers.commits;

/** A commit that could not be turned into an event, and why. */
public record ScanError(String sha, String reason) {
}
