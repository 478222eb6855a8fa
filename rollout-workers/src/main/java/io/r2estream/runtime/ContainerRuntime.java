package io.r2estream.runtime;

import java.io.InputStream;
import java.util.Map;

/**
 * What the platform needs from a container engine: the seam between workers (environment builder, rollout
 * agent, verifiers) and Docker today, Kubernetes later. Callers never see engine types.
 *
 * <p>Every container is labelled with {@link ContainerSpec#labels()} plus the platform label, so that
 * {@link #reapLeaked} can remove what a crashed process left behind.
 */
public interface ContainerRuntime extends AutoCloseable {

  /** Creates and starts a container that idles until removed; fails with {@link RuntimeFailure}. */
  Container start(ContainerSpec spec);

  /**
   * Runs a command in a running container. The command is wrapped in the in-container {@code timeout} and guarded
   * by a host-side deadline a few seconds later, so a hung engine cannot hang the caller.
   */
  ExecResult exec(Container container, ExecRequest request);

  /** Writes files (paths relative to {@code dir}, parents created) into the container. */
  void copyIn(Container container, String dir, Map<String, byte[]> files);

  /** Unpacks a tar stream into {@code dir} of the container. */
  void copyTarIn(Container container, String dir, InputStream tar);

  /** Reads one regular file out of the container. */
  byte[] readFile(Container container, String path);

  /** Bytes the container wrote to its own writable layer (its new disk). */
  long writableLayerBytes(Container container);

  /** Stops and removes the container; idempotent. */
  void remove(Container container);

  /** Removes containers carrying the platform label and {@code ownerLabel}; returns how many. */
  int reapLeaked(String ownerLabel);

  boolean imageExists(String image);

  /**
   * Builds an image from a Dockerfile and build context (network allowed: builds may download dependencies);
   * returns the image id. Fails with {@link RuntimeFailure} of kind {@link FailureKind#IMAGE_BUILD}.
   */
  String buildImage(ImageBuild build);

  /**
   * Saves a container's filesystem as an image with labels ({@code docker commit}); returns the image id. Env
   * images are made this way: install commands run through {@link #exec}, so their exit code and log are ordinary
   * results rather than a failed build.
   */
  String commit(Container container, String image, Map<String, String> labels);

  /** The labels of a local image, or empty when there is no such image. */
  java.util.Optional<Map<String, String>> imageLabels(String image);

  /** Imports a root filesystem tar as an image ({@code docker import}); returns the image id. */
  String importImage(String image, InputStream rootfsTar);

  @Override
  void close();
}
