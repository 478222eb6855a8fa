package io.r2estream.envbuilder;

import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ContainerSpec;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.RuntimeFailure;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;

/**
 * Starts a fresh container from an env image and brings its {@code /testbed} to one commit, so that a task needs
 * no image of its own. The commit's history travels in a git bundle that holds nothing reachable only from later
 * commits; after the reset, FETCH_HEAD, ORIG_HEAD and the reflogs are dropped and no remote exists, so the fix
 * cannot be read from git.
 *
 * <p>When the image's repository snapshot (its root commit) is an ancestor of the target, the bundle is thin and
 * {@code git reset --hard} rewrites only the files that differ (the image sets {@code core.checkStat=minimal}, so
 * files untouched since the image are not copied up): the container's new disk is the delta, not the tree. When it
 * is not, the image's {@code .git} and tree are replaced wholesale, because the snapshot might postdate the target.
 */
public final class TaskMaterializer {

  static final String BUNDLE = "/tmp/r2e-task.bundle";
  private static final Duration GIT_TIMEOUT = Duration.ofMinutes(5);

  private final ContainerRuntime runtime;
  private final ResourceLimits limits;

  public TaskMaterializer(final ContainerRuntime runtime, final ResourceLimits limits) {
    this.runtime = runtime;
    this.limits = limits;
  }

  /** A running container at {@code sha}; the caller removes it. */
  public Container start(final EnvImage image, final HostRepository repo, final String sha, final String namePrefix,
      final Map<String, String> labels) {
    final Container c = runtime.start(ContainerSpec.of(image.tag(), namePrefix).withLimits(limits)
        .withEnv(image.env()).withLabels(labels));
    try {
      checkout(c, image, repo, sha);
      return c;
    } catch (RuntimeException e) {
      runtime.remove(c);
      throw e;
    }
  }

  /** Brings an already running container of {@code image} to {@code sha}. */
  public void checkout(final Container c, final EnvImage image, final HostRepository repo, final String sha) {
    final boolean thin = repo.isAncestor(image.rootSha(), sha);
    final ByteArrayOutputStream bundle = new ByteArrayOutputStream();
    repo.writeBundle(sha, thin ? image.rootSha() : null, bundle);
    runtime.copyIn(c, "/tmp", Map.of("r2e-task.bundle", bundle.toByteArray()));
    final String reset = thin ? "" : "rm -rf .git && git init -q -b " + HostRepository.BRANCH
        + " && git config core.checkStat minimal && git config core.trustctime false && ";
    final ExecResult r = runtime.exec(c, ExecRequest.of("cd /testbed && " + reset
        + "git fetch -q --no-tags " + BUNDLE + " refs/heads/" + HostRepository.BRANCH
        + " && git reset -q --hard FETCH_HEAD && git clean -fdq"
        + " && rm -f .git/FETCH_HEAD .git/ORIG_HEAD " + BUNDLE
        + " && git reflog expire --expire=now --all && test \"$(git rev-parse HEAD)\" = " + sha, GIT_TIMEOUT));
    if (!r.ok()) {
      throw new RuntimeFailure(r.timedOut() ? FailureKind.TIMEOUT : FailureKind.REPOSITORY,
          "cannot materialise " + repo.id() + "@" + sha + " in " + c.name() + " (exit " + r.exitCode() + "): "
              + tail(r.output()));
    }
  }

  static String tail(final String s) {
    return s.length() <= 2000 ? s.strip() : "..." + s.substring(s.length() - 2000).strip();
  }
}
