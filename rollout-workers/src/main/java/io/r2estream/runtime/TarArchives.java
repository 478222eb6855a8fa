package io.r2estream.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar streams as the engine's archive and build endpoints speak them: in-memory file maps in, one file out. */
final class TarArchives {
  private static final int FILE_MODE = 0100644;

  private TarArchives() {
  }

  /**
   * A tar of {@code files} (relative path to bytes), each entry under {@code prefix} (may be empty), mode 0644,
   * owned by root. Paths must be relative and must not climb out with "..".
   */
  static byte[] of(final String prefix, final Map<String, byte[]> files) {
    final var out = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (final var file : new TreeMap<>(files).entrySet()) {
        final String name = checkedRelative(file.getKey());
        final var entry = new TarArchiveEntry(prefix.isEmpty() ? name : prefix + "/" + name);
        entry.setMode(FILE_MODE);
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
      tar.finish();
    } catch (final IOException e) {
      throw new UncheckedIOException("could not write an in-memory tar", e);
    }
    return out.toByteArray();
  }

  /** The content of the first entry of a tar stream, which must be a regular file ({@code path} names it in errors). */
  static byte[] firstRegularFile(final InputStream in, final String path) throws IOException {
    try (var tar = new TarArchiveInputStream(in)) {
      final TarArchiveEntry entry = tar.getNextEntry();
      if (entry == null) {
        throw new NoSuchFileException(path);
      }
      if (!entry.isFile()) {
        throw new IOException("not a regular file in the container: " + path);
      }
      return tar.readAllBytes();
    }
  }

  private static String checkedRelative(final String path) {
    final String p = path.replace('\\', '/');
    if (p.isEmpty() || p.startsWith("/") || ("/" + p + "/").contains("/../")) {
      throw new IllegalArgumentException("file paths must be relative and stay inside the target directory, got "
          + path);
    }
    return p;
  }
}
