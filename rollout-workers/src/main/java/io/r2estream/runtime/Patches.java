package io.r2estream.runtime;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Applies, reverses and takes unified diffs inside a container's working directory (its spec's workdir, a git
 * checkout), with the tools of the base image (git, GNU patch).
 *
 * <p>{@link #apply} tries, strictest first: {@code git apply} (exact and atomic); {@code git apply --3way} (only
 * when its dry run reports a clean merge: a conflicting three-way apply would leave conflict markers; it needs a
 * repository holding the patch's preimage blobs and touched files that match the index, and on success leaves
 * those files staged); GNU {@code patch -p1 --fuzz=2} (only when its dry run applies every hunk, so a failing
 * patch never leaves half its hunks or .rej files behind). {@link #reverse} is the same with {@code -R}.
 *
 * <p>{@link #diff} is {@code git add -A && git diff --cached --binary <baseRef>}: untracked files count (unless
 * .gitignore'd), binary changes are included in git's binary format, and the index ends up holding the whole
 * working tree.
 */
public final class Patches {
  /** Time limit of each git/patch command. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static final String PATCH_DIR = "/tmp";

  private final ContainerRuntime runtime;
  private final SecureRandom random = new SecureRandom();

  public Patches(final ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Applies {@code patch} (a unified diff with a/ b/ prefixes) in the container's workdir. */
  public ApplyOutcome apply(final Container container, final String patch) {
    return run(container, patch, "");
  }

  /** Undoes {@code patch}: the reverse of {@link #apply}, with the same fallbacks. */
  public ApplyOutcome reverse(final Container container, final String patch) {
    return run(container, patch, "-R ");
  }

  /**
   * The diff of the working tree (untracked files included) against {@code baseRef}, read from a file rather
   * than from the command's output so that large diffs are not cut at the output limit.
   */
  public String diff(final Container container, final String baseRef) {
    final String file = PATCH_DIR + "/r2e-diff-" + suffix() + ".diff";
    // The ref travels as an environment variable: nothing to quote.
    final var result = runtime.exec(container, new ExecRequest("git add -A && git diff --cached --binary"
        + " \"$R2E_BASE\" -- > " + file, COMMAND_TIMEOUT, null, Map.of("R2E_BASE", baseRef)));
    try {
      if (!result.ok()) {
        throw new RuntimeFailure(FailureKind.REPOSITORY, "git diff against " + baseRef + " failed in "
            + container.name() + " (exit " + result.exitCode() + "): " + result.output().strip());
      }
      return new String(runtime.readFile(container, file), StandardCharsets.UTF_8);
    } finally {
      runtime.exec(container, ExecRequest.of("rm -f " + file, COMMAND_TIMEOUT));
    }
  }

  private ApplyOutcome run(final Container container, final String patch, final String reverse) {
    final String name = "r2e-" + suffix() + ".patch";
    final String file = PATCH_DIR + "/" + name;
    runtime.copyIn(container, PATCH_DIR, Map.of(name, patch.getBytes(StandardCharsets.UTF_8)));
    final var errors = new StringBuilder();
    try {
      final var plain = attempt(container, "git apply " + reverse + "--whitespace=nowarn " + file);
      if (plain.ok()) {
        return ApplyOutcome.appliedBy(ApplyOutcome.Method.GIT_APPLY);
      }
      errors.append("git apply: ").append(plain.output().strip()).append('\n');
      final var merge = attempt(container, "git apply " + reverse + "--3way --check --whitespace=nowarn " + file);
      if (merge.ok() && !merge.output().contains("with conflicts")) {
        final var real = attempt(container, "git apply " + reverse + "--3way --whitespace=nowarn " + file);
        if (real.ok()) {
          return ApplyOutcome.appliedBy(ApplyOutcome.Method.GIT_APPLY_3WAY);
        }
        errors.append("git apply --3way: ").append(real.output().strip()).append('\n');
      } else {
        errors.append("git apply --3way: ").append(merge.ok() ? "would conflict" : merge.output().strip())
            .append('\n');
      }
      final String patchCmd = "patch " + reverse + "-p1 --forward --no-backup-if-mismatch --fuzz=2 --batch -i " + file;
      final var dry = attempt(container, patchCmd + " --dry-run");
      if (dry.ok()) {
        final var real = attempt(container, patchCmd);
        if (real.ok()) {
          return ApplyOutcome.appliedBy(ApplyOutcome.Method.PATCH_FUZZ);
        }
        errors.append("patch: ").append(real.output().strip());
      } else {
        errors.append("patch: ").append(dry.output().strip());
      }
      return ApplyOutcome.failed(errors.toString().strip());
    } finally {
      runtime.exec(container, ExecRequest.of("rm -f " + file, COMMAND_TIMEOUT));
    }
  }

  private ExecResult attempt(final Container container, final String command) {
    final var result = runtime.exec(container, ExecRequest.of(command, COMMAND_TIMEOUT));
    if (result.timedOut()) {
      throw new RuntimeFailure(FailureKind.TIMEOUT, "'" + command + "' took longer than " + COMMAND_TIMEOUT + " in "
          + container.name());
    }
    return result;
  }

  private String suffix() {
    final byte[] b = new byte[6];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
