package io.r2estream.envbuilder;

import io.r2estream.avro.TaskInstance;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One task per test class, made from a commit of the sample history and validated in real containers
 * ({@link SampleCandidates#validatedTask}), with the container runtime, images and materializer that grade it and its
 * host repository (opened on first use): {@code @RegisterExtension static final ValidatedSampleTaskExtension SAMPLE = new
 * ValidatedSampleTaskExtension(OWNER, "textkit-x", SUBJECT);}. Containers are labelled with the owner and reaped
 * before and after the class.
 */
public final class ValidatedSampleTaskExtension implements BeforeAllCallback, AfterAllCallback {

  private final String owner;
  private final String repositoryId;
  private final String subject;
  private Path dir;
  private DockerContainerRuntime runtime;
  private EnvImages images;
  private TaskMaterializer materializer;
  private TaskInstance task;
  private HostRepository repo;

  /**
   * @param owner        container owner label of the test class
   * @param repositoryId repository id the sample project is scanned under
   * @param subject      start of the commit message of the sample commit that becomes the task
   */
  public ValidatedSampleTaskExtension(final String owner, final String repositoryId, final String subject) {
    this.owner = owner;
    this.repositoryId = repositoryId;
    this.subject = subject;
  }

  @Override
  public void beforeAll(final ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("r2e-task-" + context.getRequiredTestClass().getSimpleName());
    runtime = new DockerContainerRuntime(owner);
    runtime.reapLeaked(owner);
    new PythonBaseImage(runtime).ensure();
    images = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048));
    materializer = new TaskMaterializer(runtime, ResourceLimits.defaults());
    task = SampleCandidates.validatedTask(runtime, images, materializer, dir, repositoryId, subject, owner);
  }

  @Override
  public void afterAll(final ExtensionContext context) {
    if (repo != null) {
      repo.close();
    }
    if (runtime != null) {
      runtime.reapLeaked(owner);
      runtime.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public DockerContainerRuntime runtime() {
    return runtime;
  }

  public EnvImages images() {
    return images;
  }

  public TaskMaterializer materializer() {
    return materializer;
  }

  public TaskInstance task() {
    return task;
  }

  /** The task's repository from the {@link #cacheDir}, opened on first use (not every test reads it itself). */
  public synchronized HostRepository repo() {
    if (repo == null) {
      repo = HostRepository.open(task.getRepo(), task.getSourceUrl(), cacheDir());
    }
    return repo;
  }

  /** Directory of the repository caches, shared with the runners under test. */
  public Path cacheDir() {
    return dir.resolve("cache");
  }
}
