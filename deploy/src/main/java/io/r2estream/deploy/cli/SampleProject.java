package io.r2estream.deploy.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

/**
 * The sample Python project shipped in the jar as a git bundle (samples/make-sample-project.sh builds it):
 * cloned into a working repository the first time the demo needs it.
 */
final class SampleProject {

  static final String BUNDLE_RESOURCE = "/samples/sample-project.bundle";
  static final String REPOSITORY_ID = "sample/textkit";

  private SampleProject() {
  }

  /** Clones the bundled history under {@code dir} (once) and returns the clone's path. */
  static Path materialize(final Path dir) {
    final Path clone = dir.resolve("textkit");
    if (Files.isDirectory(clone.resolve(".git"))) {
      return clone;
    }
    try (InputStream in = SampleProject.class.getResourceAsStream(BUNDLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the sample bundle " + BUNDLE_RESOURCE + " is missing from the jar");
      }
      Files.createDirectories(dir);
      final Path bundle = dir.resolve("sample-project.bundle");
      Files.copy(in, bundle, StandardCopyOption.REPLACE_EXISTING);
      try (Git git = Git.cloneRepository().setURI(bundle.toString()).setDirectory(clone.toFile())
          .setCloneAllBranches(true).call()) {
        return clone;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the sample project: " + e.getMessage(), e);
    } catch (GitAPIException e) {
      throw new IllegalStateException("cannot clone the sample project: " + e.getMessage(), e);
    }
  }
}
