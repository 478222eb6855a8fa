package io.r2estream.envbuilder;

import io.r2estream.avro.CommitEvent;
import io.r2estream.avro.EnvCandidate;
import io.r2estream.avro.EnvValidation;
import io.r2estream.avro.TaskInstance;
import io.r2estream.avro.ValidationStatus;
import io.r2estream.backtranslation.ProblemStatements;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScan;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import io.r2estream.streams.envgen.CommitSelector;
import io.r2estream.streams.envgen.Selection;
import io.r2estream.streams.envgen.SweGenConfig;
import io.r2estream.streams.tasks.TaskInstances;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.images.PythonBaseImage;
import java.time.Clock;
import java.time.Instant;
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

  /**
   * The sample project's task for the commit whose subject starts with {@code subject}, validated in Docker now
   * (one run per state) and turned into a task with the commit message as its statement: the fixture of tests
   * that need a real task. Fails when the commit is no candidate or does not validate as NEW_COMMIT_BETTER.
   *
   * @param tmp the test's directory: the sample goes to {@code tmp/textkit}, repository caches to {@code tmp/cache}
   */
  public static TaskInstance validatedTask(final ContainerRuntime runtime, final EnvImages images,
      final TaskMaterializer materializer, final Path tmp, final String repositoryId, final String subject,
      final String owner) throws Exception {
    final EnvCandidate candidate = of(sampleProject(tmp.resolve("textkit")), repositoryId).stream()
        .filter(c -> c.getCommitMessage().startsWith(subject)).findFirst()
        .orElseThrow(() -> new AssertionError("no sample candidate '" + subject + "'"));
    final EnvValidation v = new EnvValidator(runtime, images, materializer, RecipeRegistry.defaults(),
        new EnvValidator.Settings(1, false, tmp.resolve("cache"), PythonBaseImage.DEFAULT_TAG, owner),
        Clock.systemUTC()).validate(candidate);
    if (v.getStatus() != ValidationStatus.NEW_COMMIT_BETTER) {
      throw new AssertionError("sample candidate '" + subject + "' validated as " + v.getStatus() + ": "
          + v.getDetail());
    }
    return TaskInstances.from(v, ProblemStatements.fromCommitMessage(v, "test", Instant.now()));
  }
}
