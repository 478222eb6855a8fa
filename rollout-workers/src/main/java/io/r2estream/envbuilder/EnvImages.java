package io.r2estream.envbuilder;

import io.r2estream.avro.TaskInstance;
import io.r2estream.recipes.DefaultRecipes;
import io.r2estream.recipes.DependencyFingerprint;
import io.r2estream.recipes.RepositoryRecipe;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ContainerSpec;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Finds or makes the env image of (repository, dependency fingerprint). Images are built without a registry or a
 * Dockerfile: a container of the base image (with network, the only kind that has it) receives the history up to
 * the fingerprint's root commit as a bundle, runs the recipe's install commands through {@code exec} — so a failing
 * install is an ordinary result with its log, told apart from engine failures — and is committed with labels that
 * record the fingerprint, the root commit and the test environment.
 *
 * <p>The root is the last commit before the base that changed a dependency manifest (found with a path-filtered
 * walk and checked to have the same fingerprint); every later commit with that fingerprint reuses the image and is
 * materialised from a thin bundle by {@link TaskMaterializer}.
 */
public final class EnvImages {

  public static final String LABEL_REPOSITORY = "io.r2estream.repository";
  public static final String LABEL_FINGERPRINT = "io.r2estream.fingerprint";
  public static final String LABEL_ROOT = "io.r2estream.root";
  public static final String LABEL_ENV = "io.r2estream.env";
  public static final String LABEL_INSTALL_MODE = "io.r2estream.install-mode";

  private final ContainerRuntime runtime;
  private final String baseImage;
  private final ResourceLimits buildLimits;
  private final Map<String, Object> building = new ConcurrentHashMap<>();

  public EnvImages(final ContainerRuntime runtime, final String baseImage, final ResourceLimits buildLimits) {
    this.runtime = runtime;
    this.baseImage = baseImage;
    this.buildLimits = buildLimits;
  }

  /** The image tag of a repository and fingerprint: r2e-env/&lt;repository slug&gt;:&lt;16 hex&gt;. */
  public static String tag(final String repository, final String fingerprint) {
    final String slug = repository.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
        .replaceAll("^[._-]+", "");
    return "r2e-env/" + (slug.isEmpty() ? "repo" : slug) + ":" + fingerprint.substring(0, 16);
  }

  /**
   * The env image for testing {@code sha}: cached when one exists, built otherwise (one build per tag at a time in
   * this process; concurrent builders in other processes produce equivalent images under the same tag).
   *
   * @throws InstallFailed when the recipe's install commands fail (the repository's fault)
   * @throws RuntimeFailure on engine or repository failures
   */
  public EnvImage ensure(final HostRepository repo, final RepositoryRecipe recipe, final String sha) {
    final String fingerprint = fingerprint(repo, recipe, sha);
    final String tag = tag(repo.id(), fingerprint);
    synchronized (building.computeIfAbsent(tag, t -> new Object())) {
      final Optional<Map<String, String>> labels = runtime.imageLabels(tag);
      if (labels.isPresent()) {
        return fromLabels(tag, repo.id(), fingerprint, labels.get(), false, 0);
      }
      return build(repo, recipe, sha, fingerprint, tag);
    }
  }

  String fingerprint(final HostRepository repo, final RepositoryRecipe recipe, final String sha) {
    return DependencyFingerprint.compute(recipe, repo.paths(sha), p -> repo.files(sha, List.of(p)).get(p)).sha256();
  }

  private EnvImage build(final HostRepository repo, final RepositoryRecipe recipe, final String sha,
      final String fingerprint, final String tag) {
    final long start = System.nanoTime();
    String root = repo.lastManifestChange(sha, DependencyFingerprint::isManifest);
    if (root == null || !fingerprint.equals(fingerprint(repo, recipe, root))) {
      root = sha;
    }
    final Container c = runtime.start(new ContainerSpec(baseImage, "r2e-envbuild-", "/", Map.of(),
        Map.of(LABEL_REPOSITORY, repo.id()), buildLimits, true));
    try {
      final ByteArrayOutputStream bundle = new ByteArrayOutputStream();
      repo.writeBundle(root, null, bundle);
      runtime.copyIn(c, "/tmp", Map.of("r2e-root.bundle", bundle.toByteArray(),
          "r2e-install.sh", recipe.installScript().getBytes(StandardCharsets.UTF_8)));
      final ExecResult git = runtime.exec(c, ExecRequest.of("git init -q -b " + HostRepository.BRANCH
          + " /testbed && cd /testbed && git config core.checkStat minimal && git config core.trustctime false"
          + " && git fetch -q --no-tags /tmp/r2e-root.bundle refs/heads/" + HostRepository.BRANCH
          + " && git reset -q --hard FETCH_HEAD && rm -f .git/FETCH_HEAD /tmp/r2e-root.bundle"
          + " && git reflog expire --expire=now --all", Duration.ofMinutes(10)));
      if (!git.ok()) {
        throw new RuntimeFailure(FailureKind.REPOSITORY, "cannot check out " + repo.id() + "@" + root
            + " in the env image build: " + TaskMaterializer.tail(git.output()));
      }
      final ExecResult install = runtime.exec(c, new ExecRequest("bash /tmp/r2e-install.sh", recipe.installTimeout(),
          "/testbed", Map.of()));
      if (install.timedOut()) {
        throw new RuntimeFailure(FailureKind.TIMEOUT, "install of " + repo.id() + "@" + root + " exceeded "
            + recipe.installTimeout().toSeconds() + " s: " + TaskMaterializer.tail(install.output()));
      }
      if (install.exitCode() != 0) {
        throw new InstallFailed(repo.id() + "@" + root, install.exitCode(), install.output());
      }
      final ExecResult mode = runtime.exec(c, ExecRequest.of("cat " + DefaultRecipes.R2E_HOME + "/"
          + DefaultRecipes.INSTALL_MODE_FILE + " 2>/dev/null; rm -f /tmp/r2e-install.sh", Duration.ofSeconds(30)));
      final String installMode = mode.output().strip();
      final Map<String, String> env = recipe.env();
      final Map<String, String> labels = new LinkedHashMap<>();
      labels.put(LABEL_REPOSITORY, repo.id());
      labels.put(LABEL_FINGERPRINT, fingerprint);
      labels.put(LABEL_ROOT, root);
      labels.put(LABEL_ENV, encodeEnv(env));
      labels.put(LABEL_INSTALL_MODE, installMode);
      runtime.commit(c, tag, labels);
      return new EnvImage(tag, repo.id(), fingerprint, root, env, true, (System.nanoTime() - start) / 1_000_000,
          installMode);
    } finally {
      runtime.remove(c);
    }
  }

  /**
   * The env image a task was validated in ({@code environment.image}), its record read back from the image's
   * labels. An engine that lacks it (another host, a pruned cache) builds it again from the recipe at the task's
   * base commit: the same fingerprint gives the same tag, and a different one means the recipe or the build inputs
   * changed since validation, which is reported rather than graded in a different environment.
   *
   * @throws InstallFailed when the image has to be built and the install fails
   * @throws RuntimeFailure of kind IMAGE_BUILD when the rebuilt image's tag differs from the task's
   */
  public EnvImage forTask(final TaskInstance task, final HostRepository repo, final RepositoryRecipe recipe) {
    final String tag = task.getEnvironment().getImage();
    final Optional<Map<String, String>> labels = runtime.imageLabels(tag);
    if (labels.isPresent()) {
      return fromLabels(tag, task.getRepo(), labels.get().getOrDefault(LABEL_FINGERPRINT,
          task.getEnvironment().getFingerprint()), labels.get(), false, 0);
    }
    final EnvImage rebuilt = ensure(repo, recipe, task.getBaseCommit());
    if (!rebuilt.tag().equals(tag)) {
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "env image " + tag + " of task " + task.getInstanceId()
          + " is not on this engine and its recipe now gives " + rebuilt.tag() + ": the recipe or the dependency"
          + " manifests changed since the task was validated");
    }
    return rebuilt;
  }

  private static EnvImage fromLabels(final String tag, final String repository, final String fingerprint,
      final Map<String, String> labels, final boolean built, final long millis) {
    final String root = labels.get(LABEL_ROOT);
    if (root == null) {
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "image " + tag + " has no " + LABEL_ROOT
          + " label: it was not made by this platform; remove it");
    }
    return new EnvImage(tag, repository, fingerprint, root, decodeEnv(labels.getOrDefault(LABEL_ENV, "")), built,
        millis, labels.getOrDefault(LABEL_INSTALL_MODE, ""));
  }

  static String encodeEnv(final Map<String, String> env) {
    return env.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n"));
  }

  static Map<String, String> decodeEnv(final String s) {
    final Map<String, String> env = new LinkedHashMap<>();
    for (final String line : s.split("\n")) {
      final int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  /** The recipe's install commands failed: a verdict on the repository at that commit, not an infrastructure fault. */
  public static final class InstallFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final String log;

    InstallFailed(final String what, final int exitCode, final String log) {
      super("install of " + what + " failed with exit code " + exitCode + ": " + TaskMaterializer.tail(log));
      this.exitCode = exitCode;
      this.log = log;
    }

    public int exitCode() {
      return exitCode;
    }

    public String log() {
      return log;
    }
  }
}
