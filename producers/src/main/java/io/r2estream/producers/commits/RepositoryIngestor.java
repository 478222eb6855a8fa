package io.r2estream.producers.commits;

import io.r2estream.avro.CommitEvent;

import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Scans a range of a repository and publishes its commit events: the one path shared by CLI, HTTP and tests. */
public final class RepositoryIngestor {

  private static final Logger LOG = LoggerFactory.getLogger(RepositoryIngestor.class);

  private final CommitPublisher publisher;

  public RepositoryIngestor(final CommitPublisher publisher) {
    this.publisher = publisher;
  }

  /**
   * @throws PublishException when Kafka refuses an event (nothing after it is sent)
   * @throws IllegalArgumentException when the range names no commit of the repository
   */
  public IngestReport ingest(final CommitScanner scanner, final CommitRange range, final EventSource source,
      final IngestProgress progress) throws IOException {
    return ingest(scanner, range, source, progress, e -> { });
  }

  /** As above; {@code onEvent} sees each event before it is sent (callers that need the keys they published). */
  public IngestReport ingest(final CommitScanner scanner, final CommitRange range, final EventSource source,
      final IngestProgress progress, final java.util.function.Consumer<CommitEvent> onEvent) throws IOException {
    final long start = System.nanoTime();
    final String repository = scanner.repositoryId();
    try (CommitScan scan = scanner.scan(range, source)) {
      final long total = scan.total();
      progress.onProgress(repository, 0, total);
      final java.util.Iterator<CommitEvent> tapped = new java.util.Iterator<>() {
        @Override
        public boolean hasNext() {
          return scan.hasNext();
        }

        @Override
        public CommitEvent next() {
          final CommitEvent e = scan.next();
          onEvent.accept(e);
          return e;
        }
      };
      final long published = publisher.publishAll(tapped, done -> progress.onProgress(repository, done, total));
      final IngestReport report = new IngestReport(repository, scan.stats(), published,
          Duration.ofNanos(System.nanoTime() - start));
      LOG.info("Ingested {} ({}): {} published, {} merges skipped, {} errors in {} ms", repository, range,
          published, report.stats().mergesSkipped(), report.stats().errorCount(), report.duration().toMillis());
      return report;
    }
  }
}
