package io.r2estream.recipes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What an env image depends on: SHA-256 over the recipe's install script and environment and over the contents
 * of the repository's dependency manifests at one commit. Commits that change only code share the fingerprint and
 * therefore the env image (ARCHITECTURE.md: one image per repository and fingerprint, not one per task).
 *
 * <p>Manifests are the files the install step reads or that declare dependencies, at the repository root:
 * setup.py, setup.cfg (setuptools' install_requires), pyproject.toml, requirements*.txt, Pipfile, Pipfile.lock,
 * poetry.lock, environment.yml / environment.yaml, and any *.txt under a root {@code requirements/} directory
 * (pulled in by {@code -r requirements/base.txt}). Not tox.ini: it configures test runs in tox's own virtualenvs,
 * which the recipe never builds, and it changes often with no effect on the image. Nested manifests (docs/,
 * examples/) are not installed by the recipe and are ignored.
 *
 * @param sha256    lowercase hex digest
 * @param manifests the manifest paths that went into it, sorted
 */
public record DependencyFingerprint(String sha256, List<String> manifests) {

  private static final Set<String> ROOT_MANIFESTS = Set.of("setup.py", "setup.cfg", "pyproject.toml", "Pipfile",
      "Pipfile.lock", "poetry.lock", "environment.yml", "environment.yaml");
  /** Characters of the digest used in image tags. */
  private static final int SHORT = 16;

  public DependencyFingerprint {
    manifests = List.copyOf(manifests);
  }

  /** Whether the install step depends on this repository-relative path. */
  public static boolean isManifest(final String path) {
    if (ROOT_MANIFESTS.contains(path)) {
      return true;
    }
    if (!path.contains("/")) {
      return path.startsWith("requirements") && path.endsWith(".txt");
    }
    return path.startsWith("requirements/") && path.endsWith(".txt") && path.indexOf('/', 13) < 0;
  }

  /**
   * @param recipe   the recipe whose install script builds the image
   * @param files    every path of the commit's tree (the manifests are picked from it)
   * @param contents reads a path's bytes at that commit (e.g. from JGit); called for manifests only
   */
  public static DependencyFingerprint compute(final RepositoryRecipe recipe, final Collection<String> files,
      final Function<String, byte[]> contents) {
    final List<String> manifests = files.stream().filter(DependencyFingerprint::isManifest).distinct().sorted()
        .toList();
    final MessageDigest sha = newSha256();
    frame(sha, "install-script", recipe.installScript().getBytes(StandardCharsets.UTF_8));
    for (final Map.Entry<String, String> e : recipe.env().entrySet()) {
      frame(sha, "env:" + e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
    }
    for (final String m : manifests) {
      final byte[] content = contents.apply(m);
      if (content == null) {
        throw new IllegalArgumentException("Dependency manifest '" + m + "' is in the file list but has no content");
      }
      frame(sha, "file:" + m, content);
    }
    return new DependencyFingerprint(HexFormat.of().formatHex(sha.digest()), manifests);
  }

  /** The first characters of the digest, for image tags ({@code r2e-env/<repo>:<short>}). */
  public String shortHex() {
    return sha256.substring(0, SHORT);
  }

  /** Label and length before the bytes, so that no two different inputs concatenate to the same stream. */
  private static void frame(final MessageDigest sha, final String label, final byte[] bytes) {
    sha.update((label + "\0" + bytes.length + "\0").getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no SHA-256", e);
    }
  }
}
