package io.r2estream.producers.push;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registered repositories, kept in a small JSON file so that they survive restarts. Every change rewrites
 * the file atomically (temporary file, then rename), so a crash never leaves half a file behind.
 */
final class RepositoryStore {

  private final Path file;
  private final JsonMapper json;
  private final Map<String, RepositoryRegistration> byId = new LinkedHashMap<>();

  RepositoryStore(final Path file, final JsonMapper json) {
    this.file = file;
    this.json = json;
    if (Files.exists(file)) {
      try {
        final List<RepositoryRegistration> saved =
            json.readValue(Files.readAllBytes(file), Argument.listOf(RepositoryRegistration.class));
        saved.forEach(r -> byId.put(r.id(), r));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the registered repositories from " + file, e);
      }
    }
  }

  synchronized Optional<RepositoryRegistration> get(final String id) {
    return Optional.ofNullable(byId.get(id));
  }

  synchronized List<RepositoryRegistration> all() {
    return List.copyOf(byId.values());
  }

  /** Adds or replaces a registration and writes the file. */
  synchronized void put(final RepositoryRegistration registration) {
    final RepositoryRegistration previous = byId.put(registration.id(), registration);
    try {
      save();
    } catch (IOException e) {
      if (previous == null) {
        byId.remove(registration.id());
      } else {
        byId.put(previous.id(), previous);
      }
      throw new UncheckedIOException("cannot write the registered repositories to " + file, e);
    }
  }

  private void save() throws IOException {
    Files.createDirectories(file.getParent());
    final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, json.writeValueAsBytes(Argument.listOf(RepositoryRegistration.class),
        new ArrayList<>(byId.values())));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
