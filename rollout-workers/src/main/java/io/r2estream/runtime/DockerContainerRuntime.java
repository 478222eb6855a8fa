package io.r2estream.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.micrometer.core.instrument.Counter;
import io.r2estream.metrics.MeterNames;
import io.r2estream.metrics.R2eMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker engine through docker-java (zerodep transport), at {@code DOCKER_HOST} or
 * {@code unix:///var/run/docker.sock}.
 *
 * <p>Containers run {@code sleep infinity} under the engine's init (which reaps orphans) with CPU, memory (swap
 * equal to memory: none extra) and process-count limits, no network unless asked, and two labels:
 * {@link #MANAGED_LABEL} and {@link #OWNER_LABEL} with the owner given to the constructor, so a new process with
 * the same owner can {@link #reapLeaked reap} what a crashed one left.
 *
 * <p>Commands run as {@code timeout -s KILL <secs> /bin/sh -c <shell>} (argv: nothing is re-quoted) with stderr
 * redirected into stdout inside the container, so the output is in the order it was written; the last
 * {@link #OUTPUT_LIMIT_BYTES} are kept. A host-side deadline
 * {@link #DEADLINE_SLACK} after the timeout guards against a stuck engine or a {@code timeout} process that cannot
 * fire (stopped, say): when it passes the host stops waiting and the result reports a timeout with exit code 137
 * (the engine has none to give). After any timeout,
 * every process of the container carrying the exec's marker variable {@code R2E_EXEC=<token>} in its environment
 * (inherited by all descendants, unlike a process group, so it also finds what escaped with {@code setsid}) is
 * killed from a second exec.
 *
 * <p>OOM kills are read from the container's memory cgroup counter ({@code oom_kill} in
 * {@code memory.oom_control} on cgroup v1, {@code memory.events} on v2; the engine's {@code State.OOMKilled} only
 * covers the main process): after a command exits non-zero, a counter above the last value seen means the
 * kernel killed something during it. Concurrent commands in one container share the counter, so an OOM is then
 * attributed to whichever finishes first.
 *
 * <p>{@link #readFile} of a missing path throws {@link UncheckedIOException} wrapping
 * {@link java.nio.file.NoSuchFileException}; engine failures are {@link RuntimeFailure}s of kind
 * {@link FailureKind#DAEMON}. Thread-safe.
 */
public final class DockerContainerRuntime implements ContainerRuntime {
  /** Label on every container this platform starts. */
  public static final String MANAGED_LABEL = "io.r2estream.managed";
  /** Label naming the process (worker id) that started a container. */
  public static final String OWNER_LABEL = "io.r2estream.owner";
  /** Default engine address when {@code DOCKER_HOST} is not set. */
  public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
  /** Output kept per command: its last MiB. */
  public static final int OUTPUT_LIMIT_BYTES = 1 << 20;
  /** How long after a command's timeout the host stops waiting for it. */
  public static final Duration DEADLINE_SLACK = Duration.ofSeconds(5);
  private static final int BUILD_LOG_LIMIT_BYTES = 64 << 10;
  private static final Duration KILL_DEADLINE = Duration.ofSeconds(10);
  private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(3);
  private static final String EXEC_MARKER = "R2E_EXEC";
  /**
   * Runs its arguments with stderr on the stdout pipe: the engine copies the two pipes separately, so only one
   * pipe keeps the order in which lines were written. Arguments pass through "$@" untouched.
   */
  private static final String MERGE_STDERR = "exec \"$@\" 2>&1";
  private static final String KILL_MARKED = "for p in /proc/[0-9]*; do "
      + "grep -qsxz \"" + EXEC_MARKER + "=$1\" \"$p/environ\" && kill -KILL \"${p#/proc/}\" 2>/dev/null; done; exit 0";
  private static final String READ_OOM_KILLS =
      "cat /sys/fs/cgroup/memory/memory.oom_control /sys/fs/cgroup/memory.events 2>/dev/null; exit 0";
  private static final Pattern OOM_KILL_LINE = Pattern.compile("(?m)^oom_kill (\\d+)$");
  private static final Pattern IMPORT_ID = Pattern.compile("\"status\":\"(sha256:[0-9a-f]{64})");
  private static final Pattern IMPORT_ERROR = Pattern.compile("\"error\":\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Logger LOG = LoggerFactory.getLogger(DockerContainerRuntime.class);

  private final String owner;
  private final URI dockerHost;
  private final DockerHttpClient http;
  private final DockerClient docker;
  private final SecureRandom random = new SecureRandom();
  /** Per container id: the cgroup's OOM-kill count when last read (a fresh container starts at 0). */
  private final Map<String, Long> oomKillsSeen = new ConcurrentHashMap<>();
  /** Containers running over every runtime of the process ({@code r2e.containers.running}). */
  private final AtomicLong running = R2eMetrics.level(R2eMetrics.registry(), MeterNames.CONTAINERS_RUNNING,
      "containers this process started and has not removed");
  private final Counter started = Counter.builder(MeterNames.CONTAINERS_STARTED)
      .description("containers this process started").register(R2eMetrics.registry());

  /** Connects to {@code DOCKER_HOST} (or the default socket) and checks that the engine answers. */
  public DockerContainerRuntime(final String owner) {
    this(dockerHostFromEnvironment(), owner);
  }

  public DockerContainerRuntime(final String dockerHost, final String owner) {
    if (owner == null || owner.isBlank()) {
      throw new IllegalArgumentException("the runtime's owner label must not be blank, got '" + owner + "'");
    }
    this.owner = owner;
    this.dockerHost = URI.create(dockerHost);
    final var config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    this.http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost()).maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(10)).build();
    this.docker = DockerClientImpl.getInstance(config, http);
    try {
      docker.pingCmd().exec();
    } catch (final RuntimeException e) {
      close();
      throw new RuntimeFailure(FailureKind.DAEMON, "the Docker engine at " + dockerHost + " does not answer: "
          + e.getMessage(), e);
    }
  }

  /** {@code DOCKER_HOST}, or {@link #DEFAULT_DOCKER_HOST} when unset. */
  public static String dockerHostFromEnvironment() {
    final String env = System.getenv("DOCKER_HOST");
    return env == null || env.isBlank() ? DEFAULT_DOCKER_HOST : env;
  }

  public String owner() {
    return owner;
  }

  @Override
  public Container start(final ContainerSpec spec) {
    final String name = containerName(spec.namePrefix());
    final var labels = new HashMap<>(spec.labels());
    labels.put(MANAGED_LABEL, "true");
    labels.put(OWNER_LABEL, owner);
    final var limits = spec.limits();
    final var host = HostConfig.newHostConfig()
        .withNanoCPUs(Math.round(limits.cpus() * 1e9))
        .withMemory(limits.memoryBytes())
        .withMemorySwap(limits.memoryBytes())
        .withPidsLimit(limits.pids())
        .withNetworkMode(spec.network() ? "bridge" : "none")
        .withInit(true);
    final var env = new ArrayList<String>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    final String id;
    try {
      id = docker.createContainerCmd(spec.image()).withName(name).withLabels(labels).withHostConfig(host)
          .withWorkingDir(spec.workdir()).withEnv(env).withCmd("sleep", "infinity").exec().getId();
    } catch (final NotFoundException e) {
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "image " + spec.image() + " is not present on the engine "
          + dockerHost, e);
    } catch (final RuntimeException e) {
      throw daemonFailure("create container " + name + " from " + spec.image(), e);
    }
    final var container = new Container(id, name, spec);
    try {
      docker.startContainerCmd(id).exec();
    } catch (final RuntimeException e) {
      remove(container);
      throw daemonFailure("start container " + name, e);
    }
    if (oomKillsSeen.put(id, 0L) == null) {
      running.incrementAndGet();
    }
    started.increment();
    return container;
  }

  @Override
  public ExecResult exec(final Container container, final ExecRequest request) {
    final String token = randomHex(12);
    final var env = new ArrayList<String>();
    request.env().forEach((k, v) -> env.add(k + "=" + v));
    env.add(EXEC_MARKER + "=" + token);
    final var create = docker.execCreateCmd(container.id())
        .withCmd("/bin/sh", "-c", MERGE_STDERR, "r2e-exec", "timeout", "-s", "KILL", seconds(request.timeout()),
            "/bin/sh", "-c", request.shell())
        .withAttachStdout(true).withAttachStderr(true).withEnv(env);
    if (request.workdir() != null) {
      create.withWorkingDir(request.workdir());
    }
    final long started = System.nanoTime();
    final var output = new OutputTail(OUTPUT_LIMIT_BYTES);
    final String execId;
    final boolean finished;
    try {
      execId = create.exec().getId();
      final var collector = docker.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(final Frame frame) {
          output.append(frame.getPayload());
        }
      });
      finished = collector.awaitCompletion(request.timeout().plus(DEADLINE_SLACK).toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        collector.close();
      }
    } catch (final NotFoundException e) {
      throw new RuntimeFailure(FailureKind.DAEMON, "container " + container.name() + " is gone", e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(FailureKind.DAEMON, "interrupted while running a command in " + container.name(), e);
    } catch (final IOException | RuntimeException e) {
      throw daemonFailure("run a command in container " + container.name(), e);
    }
    final Duration took = Duration.ofNanos(System.nanoTime() - started);
    final int exitCode = finished ? exitCode(execId, container) : 137;
    final boolean timedOut = !finished
        || (exitCode == 124 || exitCode == 137) && took.compareTo(request.timeout()) >= 0;
    if (timedOut) {
      // Also after the in-container timeout: processes that left its process group (setsid, daemons) live on.
      killMarked(container, token);
    }
    final boolean oomKilled = exitCode != 0 && oomKillsIncreased(container);
    return new ExecResult(exitCode, output.text(), took, timedOut, oomKilled);
  }

  /** The exec's exit code; the stream may close a moment before the engine records it. */
  private int exitCode(final String execId, final Container container) {
    final long giveUp = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
    while (true) {
      final var inspect = call("inspect an exec in " + container.name(), () -> docker.inspectExecCmd(execId).exec());
      if (!Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
        return inspect.getExitCodeLong().intValue();
      }
      if (System.nanoTime() > giveUp) {
        throw new RuntimeFailure(FailureKind.DAEMON, "the engine reported no exit code for exec " + execId + " in "
            + container.name() + " within " + EXIT_CODE_WAIT);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /** Kills every process of the container whose environment carries the exec's marker; best effort. */
  private void killMarked(final Container container, final String token) {
    try {
      final String id = docker.execCreateCmd(container.id()).withCmd("/bin/sh", "-c", KILL_MARKED, "r2e-kill", token)
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      final boolean done = docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>())
          .awaitCompletion(KILL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        LOG.warn("killing the processes of a timed-out command in {} did not finish within {}", container.name(),
            KILL_DEADLINE);
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (final RuntimeException e) {
      LOG.warn("could not kill the processes of a timed-out command in {}: {}", container.name(), e.toString());
    }
  }

  private boolean oomKillsIncreased(final Container container) {
    final String id;
    final OutputTail out = new OutputTail(4096);
    try {
      id = docker.execCreateCmd(container.id()).withCmd("/bin/sh", "-c", READ_OOM_KILLS)
          .withAttachStdout(true).withAttachStderr(true).exec().getId();
      final boolean done = docker.execStartCmd(id).exec(new ResultCallback.Adapter<Frame>() {
        @Override
        public void onNext(final Frame frame) {
          out.append(frame.getPayload());
        }
      }).awaitCompletion(KILL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        LOG.warn("reading the OOM-kill counter of {} did not finish within {}", container.name(), KILL_DEADLINE);
        return false;
      }
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (final RuntimeException e) {
      LOG.warn("could not read the OOM-kill counter of {}: {}", container.name(), e.toString());
      return false;
    }
    final Matcher m = OOM_KILL_LINE.matcher(out.text());
    if (!m.find()) {
      LOG.warn("no oom_kill counter in the memory cgroup of {}: {}", container.name(), out.text());
      return false;
    }
    final long now = Long.parseLong(m.group(1));
    final Long before = oomKillsSeen.put(container.id(), now);
    return now > (before == null ? 0L : before);
  }

  @Override
  public void copyIn(final Container container, final String dir, final Map<String, byte[]> files) {
    // Unpacked at "/" with the directory as prefix, so the engine creates missing parents.
    final String prefix = absolute(container, dir).replaceAll("^/+|/+$", "");
    final byte[] tar = TarArchives.of(prefix, files);
    run("copy " + files.size() + " files into " + container.name() + ":" + dir,
        () -> docker.copyArchiveToContainerCmd(container.id()).withRemotePath("/")
            .withTarInputStream(new ByteArrayInputStream(tar)).exec());
  }

  @Override
  public void copyTarIn(final Container container, final String dir, final InputStream tar) {
    final String target = absolute(container, dir);
    final var mkdir = exec(container, new ExecRequest("mkdir -p \"$R2E_DIR\"", Duration.ofSeconds(30), "/",
        Map.of("R2E_DIR", target)));
    if (!mkdir.ok()) {
      throw new RuntimeFailure(FailureKind.DAEMON, "could not create " + target + " in " + container.name() + ": "
          + mkdir.output());
    }
    run("copy a tar into " + container.name() + ":" + target,
        () -> docker.copyArchiveToContainerCmd(container.id()).withRemotePath(target).withTarInputStream(tar).exec());
  }

  @Override
  public byte[] readFile(final Container container, final String path) {
    final String target = absolute(container, path);
    try (InputStream tar = docker.copyArchiveFromContainerCmd(container.id(), target).exec()) {
      return TarArchives.firstRegularFile(tar, target);
    } catch (final NotFoundException e) {
      throw new UncheckedIOException(new java.nio.file.NoSuchFileException(container.name() + ":" + target));
    } catch (final IOException e) {
      throw new UncheckedIOException("could not read " + container.name() + ":" + target, e);
    } catch (final RuntimeException e) {
      throw daemonFailure("read " + container.name() + ":" + target, e);
    }
  }

  @Override
  public long writableLayerBytes(final Container container) {
    final Long size = call("inspect the size of " + container.name(),
        () -> docker.inspectContainerCmd(container.id()).withSize(true).exec().getSizeRw());
    return size == null ? 0L : size;
  }

  @Override
  public void remove(final Container container) {
    removeById(container.id(), container.name());
  }

  private void removeById(final String id, final String name) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (final NotFoundException e) {
      // Already gone: removal is idempotent.
    } catch (final ConflictException e) {
      // "removal already in progress": another caller is removing it.
    } catch (final RuntimeException e) {
      throw daemonFailure("remove container " + name, e);
    } finally {
      if (oomKillsSeen.remove(id) != null) {
        running.decrementAndGet();
      }
    }
  }

  @Override
  public int reapLeaked(final String ownerLabel) {
    final var leaked = call("list containers of owner " + ownerLabel, () -> docker.listContainersCmd()
        .withShowAll(true).withLabelFilter(Map.of(MANAGED_LABEL, "true", OWNER_LABEL, ownerLabel)).exec());
    for (final var c : leaked) {
      removeById(c.getId(), c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0]);
    }
    if (!leaked.isEmpty()) {
      LOG.info("reaped {} leaked containers of owner {}", leaked.size(), ownerLabel);
    }
    return leaked.size();
  }

  @Override
  public boolean imageExists(final String image) {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (final NotFoundException e) {
      return false;
    } catch (final RuntimeException e) {
      throw daemonFailure("inspect image " + image, e);
    }
  }

  @Override
  public String buildImage(final ImageBuild build) {
    if (build.context().containsKey("Dockerfile")) {
      throw new IllegalArgumentException("the build context of " + build.tag()
          + " must not hold its own Dockerfile: pass it as ImageBuild.dockerfile");
    }
    final var files = new HashMap<>(build.context());
    files.put("Dockerfile", build.dockerfile().getBytes(StandardCharsets.UTF_8));
    final byte[] context = TarArchives.of("", files);
    final var log = new OutputTail(BUILD_LOG_LIMIT_BYTES);
    final var callback = new BuildImageResultCallback() {
      @Override
      public void onNext(final BuildResponseItem item) {
        if (item.getStream() != null) {
          log.append(item.getStream().getBytes(StandardCharsets.UTF_8));
        }
        if (item.isErrorIndicated()) {
          final String error = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
          log.append(("ERROR: " + error + "\n").getBytes(StandardCharsets.UTF_8));
        }
        super.onNext(item);
      }
    };
    try {
      docker.buildImageCmd().withTarInputStream(new ByteArrayInputStream(context)).withTags(Set.of(build.tag()))
          .withLabels(build.labels()).withPull(false).withRemove(true).withForcerm(true).exec(callback);
      if (!callback.awaitCompletion(build.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        // Closing the stream makes the engine cancel the build.
        callback.close();
        throw new RuntimeFailure(FailureKind.TIMEOUT, "building image " + build.tag() + " took longer than "
            + build.timeout() + "; log tail:\n" + log.text());
      }
      callback.awaitImageId();
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "interrupted while building image " + build.tag(), e);
    } catch (final DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
      // Errors the engine reports about the build itself (bad Dockerfile, failing RUN step, missing base image).
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "building image " + build.tag() + " failed: "
          + e.getMessage() + "; log tail:\n" + log.text(), e);
    } catch (final IOException | RuntimeException e) {
      if (e instanceof RuntimeFailure failure) {
        throw failure;
      }
      throw daemonFailure("build image " + build.tag(), e);
    }
    return call("inspect image " + build.tag(), () -> docker.inspectImageCmd(build.tag()).exec().getId());
  }

  @Override
  public String importImage(final String image, final InputStream rootfsTar) {
    final int slash = image.lastIndexOf('/');
    final int colon = image.lastIndexOf(':');
    final boolean tagged = colon > slash;
    final String repo = tagged ? image.substring(0, colon) : image;
    final String tag = tagged ? image.substring(colon + 1) : "latest";
    // docker-java's createImageCmd(repo, InputStream) JSON-encodes the stream, which the engine rejects; the
    // endpoint wants the raw tar.
    final var request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .path("/images/create?fromSrc=-&repo=" + URLEncoder.encode(repo, StandardCharsets.UTF_8) + "&tag="
            + URLEncoder.encode(tag, StandardCharsets.UTF_8))
        .putHeader("Content-Type", "application/x-tar").body(rootfsTar).build();
    final String body;
    final int status;
    try (var response = http.execute(request)) {
      status = response.getStatusCode();
      body = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
    } catch (final IOException | RuntimeException e) {
      throw daemonFailure("import image " + image, e);
    }
    final Matcher error = IMPORT_ERROR.matcher(body);
    final Matcher id = IMPORT_ID.matcher(body);
    if (status != 200 || error.find() || !id.find()) {
      throw new RuntimeFailure(FailureKind.IMAGE_BUILD, "importing image " + image + " failed (HTTP " + status
          + "): " + body.strip());
    }
    return id.group(1);
  }

  @Override
  public String commit(final Container container, final String image, final Map<String, String> labels) {
    final int slash = image.lastIndexOf('/');
    final int colon = image.lastIndexOf(':');
    final boolean tagged = colon > slash;
    final String repo = tagged ? image.substring(0, colon) : image;
    final String tag = tagged ? image.substring(colon + 1) : "latest";
    final var all = new HashMap<>(labels);
    all.put(MANAGED_LABEL, "true");
    // The owner label is left off: an image outlives the process that made it and is never reaped.
    return call("commit container " + container.name() + " as " + image, () -> docker.commitCmd(container.id())
        .withRepository(repo).withTag(tag).withLabels(all).withCmd("sleep", "infinity").exec());
  }

  @Override
  public java.util.Optional<Map<String, String>> imageLabels(final String image) {
    try {
      final var config = docker.inspectImageCmd(image).exec().getConfig();
      final Map<String, String> labels = config == null || config.getLabels() == null ? Map.of() : config.getLabels();
      return java.util.Optional.of(Map.copyOf(labels));
    } catch (final NotFoundException e) {
      return java.util.Optional.empty();
    } catch (final RuntimeException e) {
      throw daemonFailure("inspect image " + image, e);
    }
  }

  @Override
  public void close() {
    try {
      docker.close();
    } catch (final IOException e) {
      LOG.warn("closing the Docker client failed: {}", e.toString());
    }
  }

  private String containerName(final String prefix) {
    final String clean = prefix == null ? "" : prefix.replaceAll("[^a-zA-Z0-9_.-]", "-");
    final String start = clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0)) ? "r2e" + clean : clean;
    return start + "-" + randomHex(4);
  }

  private String randomHex(final int bytes) {
    final byte[] b = new byte[bytes];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A path in the container: absolute as given, or relative to the container's workdir. */
  private static String absolute(final Container container, final String path) {
    if (path.startsWith("/")) {
      return path;
    }
    final String base = container.spec().workdir() == null ? "/" : container.spec().workdir();
    return (base.endsWith("/") ? base : base + "/") + path;
  }

  /** The timeout in the {@code timeout} command's syntax: decimal seconds, at least a millisecond. */
  static String seconds(final Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("command timeouts must be positive, got " + timeout);
    }
    return BigDecimal.valueOf(Math.max(1, timeout.toMillis()), 3).stripTrailingZeros().toPlainString();
  }

  private <T> T call(final String what, final Supplier<T> engineCall) {
    try {
      return engineCall.get();
    } catch (final RuntimeException e) {
      throw daemonFailure(what, e);
    }
  }

  private void run(final String what, final Runnable engineCall) {
    call(what, () -> {
      engineCall.run();
      return null;
    });
  }

  private RuntimeFailure daemonFailure(final String what, final Exception e) {
    if (e instanceof RuntimeFailure failure) {
      return failure;
    }
    return new RuntimeFailure(FailureKind.DAEMON, "the Docker engine at " + dockerHost + " failed to " + what + ": "
        + e.getMessage(), e);
  }

  /** Ids of the containers, running or not, that carry this runtime's owner label (for tests and operators). */
  public List<String> ownContainerIds() {
    return call("list containers of owner " + owner, () -> docker.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(MANAGED_LABEL, "true", OWNER_LABEL, owner)).exec()).stream().map(c -> c.getId())
        .toList();
  }
}
