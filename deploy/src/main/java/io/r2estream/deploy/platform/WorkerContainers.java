package io.r2estream.deploy.platform;

import io.r2estream.runtime.DockerContainerRuntime;
import org.slf4j.Logger;

/** The container runtime of one kind of worker in this process. */
final class WorkerContainers {

  private WorkerContainers() {
  }

  /**
   * Opens the runtime for containers labelled {@code owner} and removes those a previous run left behind (a process
   * killed in the middle of a job leaves its containers running); the caller closes the runtime.
   *
   * @param kind what the containers are for, in the warning about removed ones (e.g. "rollout")
   * @param log  the worker's logger, so the warning names the worker
   */
  static DockerContainerRuntime openReaped(final String owner, final String kind, final Logger log) {
    final DockerContainerRuntime runtime = new DockerContainerRuntime(owner);
    try {
      final int reaped = runtime.reapLeaked(owner);
      if (reaped > 0) {
        log.warn("removed {} {} containers a previous run left behind", reaped, kind);
      }
      return runtime;
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
  }
}
