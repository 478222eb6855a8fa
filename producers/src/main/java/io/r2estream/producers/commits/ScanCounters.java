package io.r2estream.producers.commits;

import io.r2estream.avro.ChangeType;
import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.FileChange;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Mutable tally behind {@link ScanStats}, updated by the single thread that hands events out, in order. */
final class ScanCounters {

  private static final Logger LOG = LoggerFactory.getLogger(ScanCounters.class);

  private long selected;
  private long commits;
  private long merges;
  private long empty;
  private long renames;
  private long binaries;
  private long nonUtf8;
  private long truncatedDiffs;
  private long truncatedContents;
  private long errorCount;
  private final List<ScanError> errors = new ArrayList<>();

  synchronized void selected(final long n, final long mergesSkipped) {
    selected = n;
    merges = mergesSkipped;
  }

  synchronized void emitted(final CommitEvent event) {
    commits++;
    if (event.getFiles().isEmpty()) {
      empty++;
    }
    if (event.getDiffTruncated()) {
      truncatedDiffs++;
    }
    for (final FileChange f : event.getFiles()) {
      if (f.getChangeType() == ChangeType.RENAME) {
        renames++;
      }
      if (f.getBinary()) {
        binaries++;
      }
      if (f.getNonUtf8()) {
        nonUtf8++;
      }
      if (f.getContentTruncated()) {
        truncatedContents++;
      }
    }
  }

  synchronized void failed(final ScanError error) {
    errorCount++;
    LOG.warn("Commit {} not ingested: {}", error.sha(), error.reason());
    if (errors.size() < ScanStats.MAX_ERRORS_KEPT) {
      errors.add(error);
    }
  }

  synchronized ScanStats snapshot() {
    return new ScanStats(selected, commits, merges, empty, renames, binaries, nonUtf8, truncatedDiffs,
        truncatedContents, errorCount, errors);
  }
}
