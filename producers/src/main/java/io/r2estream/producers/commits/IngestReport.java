package io.r2estream.producers.commits;

import java.time.Duration;

/**
 * Outcome of one ingestion.
 *
 * @param repository repository id
 * @param stats      what the scan saw (emitted, merges, empty, renames, errors with shas, ...)
 * @param published  events acknowledged by Kafka
 * @param duration   wall time of scan + publish
 */
public record IngestReport(String repository, ScanStats stats, long published, Duration duration) {
}
