package io.r2estream.connect.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads what a dataset directory holds, the way a dataset consumer would: final files only. */
final class DatasetFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetFiles() {
  }

  /** The final files of a topic, sorted by name. */
  static List<Path> finals(final Path root, final String topic) {
    final Path dir = root.resolve(topic);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> SegmentName.parse(p.getFileName().toString()).isPresent()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every row of the topic's final files, in file order. */
  static List<JsonNode> rows(final Path root, final String topic) {
    final List<JsonNode> rows = new ArrayList<>();
    for (final Path f : finals(root, topic)) {
      rows.addAll(lines(f));
    }
    return rows;
  }

  static List<JsonNode> lines(final Path file) {
    try {
      final List<JsonNode> rows = new ArrayList<>();
      for (final String line : Files.readAllLines(file)) {
        rows.add(JSON.readTree(line));
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
