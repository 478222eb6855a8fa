package io.r2estream.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.ContainerRuntime;
import io.r2estream.runtime.ExecRequest;
import io.r2estream.runtime.ExecResult;
import io.r2estream.runtime.FailureKind;
import io.r2estream.runtime.RuntimeFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The task container's files as the tools need them, all through {@link ContainerRuntime} (nothing on the host):
 * path kinds, text read and written in place, the editor's undo stacks and the Python helper.
 *
 * <p>Writes go to a temporary file first and are then copied over the target with {@code cat}, so an existing
 * file keeps its mode (a tar copy would reset it to 0644 and the diff would show a mode change). Undo stacks live
 * in {@link #STATE_DIR}, one JSON array of earlier contents per edited path: they belong to the container and
 * survive across calls and across ToolBox instances.
 */
final class ContainerFiles {

  /** Where the editor keeps its per-path undo stacks inside the container. */
  static final String STATE_DIR = "/var/tmp/r2e-editor-state";
  /** Where the helper script and temporary files go inside the container. */
  static final String TOOLS_DIR = "/var/tmp/r2e-tools";
  static final String HELPER = TOOLS_DIR + "/tool_helper.py";
  /** The base image's interpreter: the helper must not depend on the repository's Python version. */
  static final String HELPER_PYTHON = "/usr/bin/python3";
  private static final String HELPER_RESOURCE = "io/r2estream/agent/tool_helper.py";
  private static final Duration FILE_COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a path is, following symlinks. */
  enum Kind { MISSING, FILE, DIRECTORY, OTHER }

  /** A path's kind and its real path (symlinks resolved). */
  record PathInfo(Kind kind, String realPath) {
  }

  private final ContainerRuntime runtime;
  private final Container container;
  private final SecureRandom random = new SecureRandom();
  private boolean helperInstalled;

  ContainerFiles(final ContainerRuntime runtime, final Container container) {
    this.runtime = runtime;
    this.container = container;
  }

  Container container() {
    return container;
  }

  PathInfo info(final String absolutePath) {
    final ExecResult r = exec("if [ -d \"$R2E_PATH\" ]; then echo d; elif [ -f \"$R2E_PATH\" ]; then echo f; "
        + "elif [ -e \"$R2E_PATH\" ]; then echo o; else echo m; fi; readlink -f -- \"$R2E_PATH\" || echo",
        Map.of("R2E_PATH", absolutePath));
    final List<String> lines = r.output().lines().toList();
    final Kind kind = switch (lines.isEmpty() ? "" : lines.get(0).strip()) {
      case "d" -> Kind.DIRECTORY;
      case "f" -> Kind.FILE;
      case "o" -> Kind.OTHER;
      case "m" -> Kind.MISSING;
      default -> throw failure("could not inspect " + absolutePath, r);
    };
    return new PathInfo(kind, lines.size() > 1 && !lines.get(1).isBlank() ? lines.get(1).strip() : absolutePath);
  }

  /** The file's text: UTF-8, or Latin-1 when it is not valid UTF-8 (every byte sequence decodes). */
  String readText(final String realPath) {
    return decode(runtime.readFile(container, realPath));
  }

  /** Writes {@code text} as UTF-8 over {@code path}, creating missing parent directories; keeps an existing mode. */
  void writeText(final String path, final String text) {
    final String temp = "write-" + suffix();
    runtime.copyIn(container, TOOLS_DIR, Map.of(temp, text.getBytes(StandardCharsets.UTF_8)));
    final ExecResult r = exec("mkdir -p -- \"$(dirname -- \"$R2E_PATH\")\" && cat -- \"$R2E_TEMP\" > \"$R2E_PATH\"; "
        + "c=$?; rm -f -- \"$R2E_TEMP\"; exit $c", Map.of("R2E_PATH", path, "R2E_TEMP", TOOLS_DIR + "/" + temp));
    if (!r.ok()) {
      throw new EditorError("Failed to write file " + path + ": " + r.output().strip());
    }
  }

  /** The undo stack of a path, oldest first; empty when the path was never edited. */
  List<String> history(final String absolutePath) {
    try {
      final byte[] json = runtime.readFile(container, STATE_DIR + "/" + stateFile(absolutePath));
      return JSON.readValue(json, new TypeReference<List<String>>() { });
    } catch (final UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return new ArrayList<>();
      }
      throw e;
    } catch (final IOException e) {
      throw new UncheckedIOException("the editor state of " + absolutePath + " in " + container.name()
          + " is not a JSON list of strings", e);
    }
  }

  void saveHistory(final String absolutePath, final List<String> stack) {
    try {
      runtime.copyIn(container, STATE_DIR, Map.of(stateFile(absolutePath), JSON.writeValueAsBytes(stack)));
    } catch (final IOException e) {
      throw new UncheckedIOException("could not serialise the editor state of " + absolutePath, e);
    }
  }

  /** Runs the helper script ({@code spans} or {@code search}) and returns its JSON answer. */
  Map<String, Object> helper(final String subcommand, final Map<String, String> env) {
    if (!helperInstalled) {
      try (InputStream in = ContainerFiles.class.getClassLoader().getResourceAsStream(HELPER_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("the helper resource " + HELPER_RESOURCE + " is missing from the classpath");
        }
        runtime.copyIn(container, TOOLS_DIR, Map.of("tool_helper.py", in.readAllBytes()));
      } catch (final IOException e) {
        throw new UncheckedIOException("could not read " + HELPER_RESOURCE, e);
      }
      helperInstalled = true;
    }
    final ExecResult r = exec(HELPER_PYTHON + " " + HELPER + " " + subcommand, env);
    if (!r.ok()) {
      throw failure("the tool helper '" + subcommand + "' failed", r);
    }
    try {
      return JSON.readValue(r.output(), new TypeReference<Map<String, Object>>() { });
    } catch (final IOException e) {
      throw new IllegalStateException("the tool helper '" + subcommand + "' printed no JSON: " + r.output(), e);
    }
  }

  ExecResult exec(final String shell, final Map<String, String> env) {
    final ExecResult r = runtime.exec(container, new ExecRequest(shell, FILE_COMMAND_TIMEOUT, null, env));
    if (r.timedOut()) {
      throw new RuntimeFailure(FailureKind.TIMEOUT, "a file command took longer than " + FILE_COMMAND_TIMEOUT
          + " in " + container.name() + ": " + shell);
    }
    return r;
  }

  /** A command's exit code with stdout and stderr apart; {@code timedOut} when its time limit ended it. */
  record Streams(int exitCode, String stdout, String stderr, boolean timedOut) {
  }

  /**
   * Runs {@code command} with {@code bash -c} in the container's workdir and environment, stdin from /dev/null,
   * keeping stdout and stderr apart (each goes to a file, printed after the command ends around a random marker).
   * The variables carrying the command and the marker are removed from the command's own environment; those in
   * {@code env} stay (internal commands read their arguments from them). When the time limit kills the command,
   * its two output files stay behind in {@link #TOOLS_DIR} (outside /testbed, so never in the patch) and its
   * output is lost, as in R2E-Gym.
   */
  Streams run(final String command, final Map<String, String> env, final Duration timeout) {
    final String id = suffix();
    final String marker = "<<r2e-stderr-" + id + ">>";
    final var vars = new java.util.HashMap<>(env);
    vars.put("R2E_CMD", command);
    vars.put("R2E_MARK", marker);
    final String out = TOOLS_DIR + "/out-" + id;
    final String err = TOOLS_DIR + "/err-" + id;
    final ExecResult r = runtime.exec(container, new ExecRequest("mkdir -p " + TOOLS_DIR + "; env -u R2E_CMD -u R2E_MARK"
        + " /bin/bash -c \"$R2E_CMD\" >" + out + " 2>" + err + " </dev/null; c=$?; cat " + out
        + "; printf '%s' \"$R2E_MARK\"; cat " + err + "; rm -f " + out + " " + err + "; exit $c", timeout, null,
        vars));
    final int at = r.output().lastIndexOf(marker);
    if (at < 0) {
      return new Streams(r.exitCode(), r.output(), "", r.timedOut());
    }
    return new Streams(r.exitCode(), r.output().substring(0, at), r.output().substring(at + marker.length()),
        r.timedOut());
  }

  static String decode(final byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (final CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private RuntimeFailure failure(final String what, final ExecResult r) {
    return new RuntimeFailure(FailureKind.DAEMON, what + " in " + container.name() + " (exit " + r.exitCode()
        + "): " + r.output().strip());
  }

  private static String stateFile(final String absolutePath) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(absolutePath.getBytes(StandardCharsets.UTF_8))) + ".json";
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private String suffix() {
    final byte[] b = new byte[6];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
