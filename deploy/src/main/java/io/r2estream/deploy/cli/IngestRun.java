package io.r2estream.deploy.cli;

import io.r2estream.producers.commits.CommitPublisher;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.EventSource;
import io.r2estream.producers.commits.IngestReport;
import io.r2estream.producers.commits.RepositoryIngestor;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.topics.TaskIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** One ingestion from the CLI: scan, publish, show progress, return the report and the keys published. */
final class IngestRun {

  record Result(IngestReport report, Set<String> keys) {
  }

  private IngestRun() {
  }

  static Result run(final RepositorySource source, final CommitRange range, final Map<String, Object> kafkaClient,
      final String registryUrl) {
    final Set<String> keys = new LinkedHashSet<>();
    try (CommitScanner scanner = CommitScanner.open(source, ScanLimits.defaults());
         CommitPublisher publisher = new CommitPublisher(CommitPublisher.config(kafkaClient, registryUrl));
         ProgressBar bar = new ProgressBarBuilder().setTaskName("ingest " + source.id())
             .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" commits", 1)
             .showSpeed().build()) {
      final IngestReport report = new RepositoryIngestor(publisher).ingest(scanner, range, EventSource.SCAN,
          (repo, done, total) -> {
            if (total >= 0) {
              bar.maxHint(total);
            }
            bar.stepTo(done);
          },
          e -> keys.add(TaskIds.of(e.getRepository(), e.getSha())));
      return new Result(report, keys);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /** The ingestion part of the summary. */
  static void print(final IngestReport r) {
    final var s = r.stats();
    System.out.printf("Ingested %s: %d commit events in %.1f s (%.0f commits/s)%n", r.repository(), r.published(),
        r.duration().toMillis() / 1000.0, r.published() * 1000.0 / Math.max(1, r.duration().toMillis()));
    System.out.printf("  merges skipped %d · empty commits %d · renames %d · binary files %d · non-UTF-8 files %d"
        + " · truncated diffs %d · errors %d%n", s.mergesSkipped(), s.emptyCommits(), s.renames(), s.binaryFiles(),
        s.nonUtf8Files(), s.truncatedDiffs(), s.errorCount());
    s.errors().stream().limit(5).forEach(e -> System.out.println("  error: " + e));
  }
}
