package io.r2estream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Docker runtime against the real engine: lifecycle, files, limits, isolation, timeouts and OOM. */
class DockerContainerRuntimeIT {
  private static final String OWNER = TestDocker.owner("runtime");
  private static DockerContainerRuntime runtime;
  private static String image;
  private final List<Container> started = new ArrayList<>();

  @BeforeAll
  static void connect() {
    image = TestDocker.baseImage();
    runtime = TestDocker.runtime(OWNER);
  }

  @AfterAll
  static void disconnect() {
    try {
      assertEquals(0, runtime.reapLeaked(OWNER), "every test removes its containers");
    } finally {
      runtime.close();
    }
  }

  @AfterEach
  void removeStarted() {
    started.forEach(runtime::remove);
  }

  private Container start(final ContainerSpec spec) {
    final var c = runtime.start(spec);
    started.add(c);
    return c;
  }

  private Container start() {
    return start(ContainerSpec.of(image, "rt-it"));
  }

  private static ExecResult sh(final Container c, final String shell) {
    return runtime.exec(c, ExecRequest.of(shell, Duration.ofSeconds(30)));
  }

  @Test
  void runsCommandsWithExitCodeAndMergedOutputInOrder() {
    final var c = start();
    assertTrue(c.name().startsWith("rt-it-"), c.name());
    final var r = sh(c, "echo one; echo two >&2; sleep 0.1; echo three; pwd; echo \"$GREETING\"; exit 3");
    assertEquals(3, r.exitCode());
    assertFalse(r.timedOut());
    assertFalse(r.oomKilled());
    assertEquals("one\ntwo\nthree\n/testbed\n\n", r.output());

    final var env = runtime.exec(c, new ExecRequest("pwd; echo \"$GREETING\" 'single' \"$(echo nested)\"",
        Duration.ofSeconds(10), "/tmp", Map.of("GREETING", "it's \"quoted\" $HOME")));
    assertTrue(env.ok(), env.output());
    assertEquals("/tmp\nit's \"quoted\" $HOME single nested\n", env.output());
  }

  @Test
  void copiesFilesInAndReadsThemBack() throws Exception {
    final var c = start();
    final byte[] binary = new byte[70_000];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) (i * 31);
    }
    runtime.copyIn(c, "/work/in", Map.of("a.txt", "alpha\n".getBytes(StandardCharsets.UTF_8),
        "deep/er/b.bin", binary));
    assertArrayEquals(binary, runtime.readFile(c, "/work/in/deep/er/b.bin"));
    assertEquals("alpha\n", new String(runtime.readFile(c, "/work/in/a.txt"), StandardCharsets.UTF_8));
    assertEquals("6\n", sh(c, "wc -c < /work/in/a.txt").output());

    // Relative paths are relative to the container's workdir.
    runtime.copyIn(c, "rel", Map.of("c.txt", "gamma".getBytes(StandardCharsets.UTF_8)));
    assertEquals("gamma", new String(runtime.readFile(c, "/testbed/rel/c.txt"), StandardCharsets.UTF_8));

    final var tar = new ByteArrayOutputStream();
    try (var out = new TarArchiveOutputStream(tar)) {
      final byte[] body = "from a tar\n".getBytes(StandardCharsets.UTF_8);
      final var entry = new TarArchiveEntry("pkg/mod.py");
      entry.setSize(body.length);
      out.putArchiveEntry(entry);
      out.write(body);
      out.closeArchiveEntry();
    }
    runtime.copyTarIn(c, "/not/yet/there", new ByteArrayInputStream(tar.toByteArray()));
    assertEquals("from a tar\n", sh(c, "cat /not/yet/there/pkg/mod.py").output());

    final var missing = assertThrows(UncheckedIOException.class, () -> runtime.readFile(c, "/no/such/file"));
    assertInstanceOf(NoSuchFileException.class, missing.getCause());
    assertThrows(IllegalArgumentException.class,
        () -> runtime.copyIn(c, "/work", Map.of("../escape", new byte[1])));
  }

  @Test
  void removeIsIdempotentAndLaterCallsFailAsDaemonFailures() {
    final var c = start();
    runtime.remove(c);
    runtime.remove(c);
    final var failure = assertThrows(RuntimeFailure.class, () -> sh(c, "true"));
    assertEquals(FailureKind.DAEMON, failure.kind());
    assertFalse(runtime.ownContainerIds().contains(c.id()));
  }

  @Test
  void missingImageIsReportedAsAnImageFailure() {
    final var failure = assertThrows(RuntimeFailure.class,
        () -> start(ContainerSpec.of("r2e-test/no-such-image:never", "rt-it")));
    assertEquals(FailureKind.IMAGE_BUILD, failure.kind());
    assertTrue(failure.getMessage().contains("r2e-test/no-such-image:never"), failure.getMessage());
  }

  @Test
  void appliesCpuMemoryAndProcessLimits() {
    final var c = start(ContainerSpec.of(image, "rt-it").withLimits(new ResourceLimits(0.5, 256L << 20, 40)));
    try (var docker = TestDocker.inspector()) {
      final var host = docker.inspectContainerCmd(c.id()).exec().getHostConfig();
      assertEquals(500_000_000L, host.getNanoCPUs());
      assertEquals(256L << 20, host.getMemory());
      assertEquals(256L << 20, host.getMemorySwap(), "no swap beyond the memory limit");
      assertEquals(40L, host.getPidsLimit());
      assertEquals("none", host.getNetworkMode());
      assertTrue(host.getInit());
      final var labels = docker.inspectContainerCmd(c.id()).exec().getConfig().getLabels();
      assertEquals("true", labels.get(DockerContainerRuntime.MANAGED_LABEL));
      assertEquals(OWNER, labels.get(DockerContainerRuntime.OWNER_LABEL));
    } catch (final java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals("40\n", sh(c, "cat /sys/fs/cgroup/pids/pids.max").output());
    assertEquals("268435456\n", sh(c, "cat /sys/fs/cgroup/memory/memory.limit_in_bytes").output());
    // A fork loop stops at the limit: fork fails with EAGAIN and the cgroup never holds more than 40 tasks.
    final var forks = sh(c, String.join("\n", "python3 - <<'EOF'", "import os, signal, time", "kids = []",
        "try:", "    for _ in range(100):", "        pid = os.fork()", "        if pid == 0:",
        "            time.sleep(30)", "            os._exit(0)", "        kids.append(pid)",
        "except OSError as e:", "    print('fork failed', e.errno)",
        "print('forked', len(kids), 'current', open('/sys/fs/cgroup/pids/pids.current').read().strip())",
        "for k in kids:", "    os.kill(k, signal.SIGKILL)", "EOF"));
    assertTrue(forks.ok(), forks.output());
    final var m = java.util.regex.Pattern.compile("fork failed 11\nforked (\\d+) current (\\d+)")
        .matcher(forks.output());
    assertTrue(m.find(), forks.output());
    assertTrue(Integer.parseInt(m.group(1)) < 40, forks.output());
    assertTrue(Integer.parseInt(m.group(2)) <= 40, forks.output());
  }

  @Test
  void hasNoNetworkButLoopbackUnlessAsked() {
    final var isolated = start();
    final var connect = sh(isolated,
        "python3 -c \"import socket; socket.create_connection(('1.1.1.1', 53), 2)\"");
    assertNotEquals(0, connect.exitCode());
    assertTrue(connect.output().contains("OSError") || connect.output().contains("unreachable"), connect.output());
    assertEquals("lo\n", sh(isolated, "ls /sys/class/net").output());

    final var networked = start(new ContainerSpec(image, "rt-it-net", "/testbed", Map.of(), Map.of(),
        ResourceLimits.defaults(), true));
    assertTrue(sh(networked, "ls /sys/class/net").output().contains("eth0"));
  }

  @Test
  void inContainerTimeoutKillsTheCommandAndWhatEscapedItsProcessGroup() {
    final var c = start();
    final var r = runtime.exec(c, ExecRequest.of("echo started; setsid sleep 120 & sleep 30; echo never",
        Duration.ofSeconds(1)));
    assertTrue(r.timedOut());
    assertEquals(137, r.exitCode());
    assertFalse(r.oomKilled());
    assertEquals("started\n", r.output());
    assertTrue(r.duration().compareTo(Duration.ofSeconds(1)) >= 0);
    assertTrue(r.duration().compareTo(Duration.ofSeconds(1).plus(DockerContainerRuntime.DEADLINE_SLACK)) < 0,
        "took " + r.duration());
    assertFalse(processes(c).contains("sleep 120"), "the setsid process was killed: " + processes(c));

    final var quick = runtime.exec(c, ExecRequest.of("exit 124", Duration.ofSeconds(10)));
    assertEquals(124, quick.exitCode());
    assertFalse(quick.timedOut(), "a command exiting 124 by itself did not time out");
  }

  @Test
  void hostDeadlineEndsCommandsWhoseTimeoutCannotFire() {
    final var c = start();
    // The command stops its own timeout process, so only the host-side deadline can end it.
    final var r = runtime.exec(c, ExecRequest.of("echo stopping; kill -STOP $PPID; sleep 60", Duration.ofSeconds(1)));
    assertTrue(r.timedOut());
    assertEquals("stopping\n", r.output());
    final Duration limit = Duration.ofSeconds(1).plus(DockerContainerRuntime.DEADLINE_SLACK);
    assertTrue(r.duration().compareTo(limit) >= 0, "took " + r.duration());
    assertTrue(r.duration().compareTo(limit.plusSeconds(2)) < 0, "took " + r.duration());
    assertFalse(processes(c).contains("sleep 60"), "the command's processes were killed: " + processes(c));
  }

  /** Command lines of the container's processes, one a line. */
  private static String processes(final Container c) {
    return sh(c, "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done").output();
  }

  @Test
  void reportsOomKillsOnlyForTheCommandThatCausedThem() {
    final var c = start(ContainerSpec.of(image, "rt-it-oom").withLimits(new ResourceLimits(1, 256L << 20, 128)));
    final var oom = sh(c, "python3 -c \"b = bytearray(600 * 2**20)\"");
    assertTrue(oom.oomKilled(), oom.toString());
    assertEquals(137, oom.exitCode());
    assertFalse(oom.timedOut());
    final var plainFailure = sh(c, "exit 1");
    assertEquals(1, plainFailure.exitCode());
    assertFalse(plainFailure.oomKilled(), "the earlier OOM kill is not reported again");
    assertTrue(sh(c, "python3 -c \"b = bytearray(100 * 2**20)\"").ok());
  }

  @Test
  void keepsTheLastMebibyteOfARunawayOutput() {
    final var c = start();
    final var r = sh(c, "head -c 3000000 /dev/zero | tr '\\0' a; echo; echo THE-END");
    assertTrue(r.ok());
    assertTrue(r.output().endsWith("a\nTHE-END\n"));
    assertTrue(r.output().startsWith("[... "), r.output().substring(0, 40));
    assertTrue(r.output().length() <= DockerContainerRuntime.OUTPUT_LIMIT_BYTES + 100);
  }

  @Test
  void writableLayerGrowsWithWrittenFiles() {
    final var c = start();
    final long before = runtime.writableLayerBytes(c);
    assertTrue(sh(c, "head -c 3000000 /dev/urandom > /testbed/big.bin").ok());
    final long after = runtime.writableLayerBytes(c);
    assertTrue(after - before >= 3_000_000, "writable layer " + before + " -> " + after);
  }
}
