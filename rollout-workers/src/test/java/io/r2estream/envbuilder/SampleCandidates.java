package io.r2estream.envbuilder;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScan;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.streams.envgen.CommitSelector;
import io.r2estream.streams.envgen.Selection;
import io.r2estream.streams.envgen.SweGenConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.api.Git;

/** Env candidates of a repository, found the way the platform finds them: scan its history and run the selector. */
public final class SampleCandidates {

  private SampleCandidates() {
  }

  /** Clones the bundled sample project (samples/sample-project.bundle) into {@code dir}. */
  public static Path sampleProject(final Path dir) throws Exception {
    Path bundle = Path.of("samples/sample-project.bundle").toAbsolutePath();
    if (!Files.exists(bundle)) {
      bundle = Path.of("../samples/sample-project.bundle").toAbsolutePath().normalize();
    }
    try (Git git = Git.cloneRepository().setURI(bundle.toString()).setDirectory(dir.toFile()).call()) {
      return dir;
    }
  }

  public static List<EnvCandidate> of(final Path repo, final String repositoryId) throws Exception {
    final CommitSelector selector = new CommitSelector(SweGenConfig.defaults());
    final List<EnvCandidate> out = new ArrayList<>();
    try (CommitScanner scanner = CommitScanner.open(RepositorySource.local(repo).withId(repositoryId),
        ScanLimits.defaults());
         CommitScan scan = scanner.scan(CommitRange.head())) {
      while (scan.hasNext()) {
        final CommitEvent e = scan.next();
        if (selector.select(e) instanceof Selection.Selected s) {
          out.add(s.candidate());
        }
      }
    }
    return out;
  }
}
