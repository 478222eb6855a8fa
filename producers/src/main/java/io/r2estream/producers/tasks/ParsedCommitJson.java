package io.r2estream.producers.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.r2estream.producers.commits.FileClassifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * R2E-Gym's {@code ParsedCommit} JSON (reference section 1.2) built from a task's gold and test patches, and the
 * patches recovered from it. Each file section of the git diffs becomes a {@code FileDiff} with its header path,
 * index line, {@code ---}/{@code +++} paths and hunks (descriptor ranges and section, lines typed
 * context/added/deleted/note); file contents and per-hunk entities are not in a task and stay empty.
 *
 * <p>Recovery renders the file diffs back as git diff text; {@code metadata.test_files} says which files form the
 * test patch (without it, R2E-Gym's test-file predicate decides). A patch this structure cannot reproduce byte for
 * byte (a rename, a binary delta, a missing final newline) is kept verbatim in {@code metadata.patch} /
 * {@code metadata.test_patch}, which recovery prefers.
 */
public final class ParsedCommitJson {

  private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@ ?(.*)$");
  private static final Pattern GIT_HEADER = Pattern.compile("^diff --git a/(.+) b/(.+)$");
  private static final Pattern INDEX = Pattern.compile("^index ([0-9a-fA-F]+)\\.\\.([0-9a-fA-F]+)(?: (\\d+))?$");

  /** A task's two patches. */
  public record Patches(String patch, String testPatch) {
  }

  private ParsedCommitJson() {
  }

  /**
   * @param oldCommit  the parent commit (R2E-Gym writes {@code <sha>^}; the actual parent is more precise)
   * @param commitDate ISO-8601 commit time
   */
  public static ObjectNode of(final Patches patches, final String oldCommit, final String newCommit,
      final String commitDate) {
    final ObjectNode root = RowFields.JSON.createObjectNode();
    final ArrayNode diffs = root.putArray("file_diffs");
    final ObjectNode metadata = RowFields.JSON.createObjectNode();
    final List<ObjectNode> code = fileDiffs(patches.patch());
    final List<ObjectNode> tests = fileDiffs(patches.testPatch());
    diffs.addAll(code);
    diffs.addAll(tests);
    final ArrayNode testFiles = metadata.putArray("test_files");
    tests.forEach(d -> testFiles.add(path(d)));
    if (!render(code).equals(patches.patch())) {
      metadata.put("patch", patches.patch());
    }
    if (!render(tests).equals(patches.testPatch())) {
      metadata.put("test_patch", patches.testPatch());
    }
    root.put("old_commit_hash", oldCommit);
    root.put("new_commit_hash", newCommit);
    root.put("commit_message", "");
    root.put("commit_date", commitDate);
    root.set("metadata", metadata);
    return root;
  }

  /** The gold and test patches of a ParsedCommit JSON. */
  public static Patches patches(final JsonNode parsedCommit) {
    final JsonNode diffs = parsedCommit.path("file_diffs");
    if (!diffs.isArray()) {
      throw new RowException("parsed_commit_content has no file_diffs array");
    }
    final JsonNode metadata = parsedCommit.path("metadata");
    final Set<String> testFiles = new LinkedHashSet<>();
    final boolean listed = metadata.path("test_files").isArray();
    metadata.path("test_files").forEach(n -> testFiles.add(n.asText()));
    final List<JsonNode> code = new ArrayList<>();
    final List<JsonNode> tests = new ArrayList<>();
    for (final JsonNode d : diffs) {
      final String path = path(d);
      final boolean test = listed ? testFiles.contains(path) : FileClassifier.isTestFile(path);
      (test ? tests : code).add(d);
    }
    final String patch = metadata.path("patch").isTextual() ? metadata.get("patch").textValue() : render(code);
    final String testPatch = metadata.path("test_patch").isTextual() ? metadata.get("test_patch").textValue()
        : render(tests);
    return new Patches(patch, testPatch);
  }

  /** The paths a diff touches (new path, or old path for deletions), in order. */
  public static List<String> paths(final String diff) {
    return fileDiffs(diff).stream().map(ParsedCommitJson::path).toList();
  }

  private static String path(final JsonNode fileDiff) {
    return fileDiff.path("header").path("file").path("path").asText();
  }

  /** Splits a git diff into FileDiff objects; text before the first {@code diff --git} line is dropped. */
  private static List<ObjectNode> fileDiffs(final String diff) {
    final List<ObjectNode> out = new ArrayList<>();
    if (diff == null || diff.isEmpty()) {
      return out;
    }
    final String[] lines = diff.split("\n", -1);
    final int end = diff.endsWith("\n") ? lines.length - 1 : lines.length;
    ObjectNode file = null;
    ArrayNode hunkLines = null;
    final List<String> misc = new ArrayList<>();
    for (int i = 0; i < end; i++) {
      final String line = lines[i];
      final Matcher git = GIT_HEADER.matcher(line);
      if (line.startsWith("diff --git ")) {
        finishMisc(file, misc);
        file = RowFields.JSON.createObjectNode();
        out.add(file);
        hunkLines = null;
        file.put("old_file_content", "");
        file.put("new_file_content", "");
        final ObjectNode header = file.putObject("header");
        header.putObject("file").put("path", git.matches() ? git.group(2) : line.substring("diff --git ".length()));
        file.putNull("index_line");
        file.put("is_binary_file", false);
        file.putNull("binary_line");
        file.putNull("minus_file");
        file.putNull("plus_file");
        file.putArray("hunks");
        continue;
      }
      if (file == null) {
        continue;
      }
      final Matcher hunk = HUNK.matcher(line);
      if (hunk.matches()) {
        final ObjectNode h = ((ArrayNode) file.get("hunks")).addObject();
        final ObjectNode descriptor = h.putObject("descriptor");
        range(descriptor.putObject("old_range"), hunk.group(1), hunk.group(2));
        range(descriptor.putObject("new_range"), hunk.group(3), hunk.group(4));
        descriptor.put("section", hunk.group(5));
        hunkLines = h.putObject("line_group").putArray("all_lines");
        continue;
      }
      if (hunkLines != null) {
        final ObjectNode l = hunkLines.addObject();
        l.put("content", line.isEmpty() ? "" : line.substring(1));
        l.put("type", line.isEmpty() ? "context" : switch (line.charAt(0)) {
          case '+' -> "added";
          case '-' -> "deleted";
          case '\\' -> "note";
          default -> "context";
        });
        continue;
      }
      final Matcher index = INDEX.matcher(line);
      if (index.matches() && file.get("index_line").isNull()) {
        final ObjectNode il = file.putObject("index_line");
        il.put("old_commit_hash", index.group(1));
        il.put("new_commit_hash", index.group(2));
        il.put("mode", index.group(3) == null ? "" : index.group(3));
      } else if (line.startsWith("--- ")) {
        file.putObject("minus_file").put("path", line.substring(4));
      } else if (line.startsWith("+++ ")) {
        file.putObject("plus_file").put("path", line.substring(4));
      } else if (line.startsWith("Binary files ")) {
        file.put("is_binary_file", true);
        file.put("binary_line", line);
      } else {
        misc.add(line);
      }
    }
    finishMisc(file, misc);
    return out;
  }

  private static void finishMisc(final ObjectNode file, final List<String> misc) {
    if (file != null) {
      final ObjectNode header = (ObjectNode) file.get("header");
      if (misc.isEmpty()) {
        header.putNull("misc_line");
      } else {
        header.put("misc_line", String.join("\n", misc));
      }
    }
    misc.clear();
  }

  private static void range(final ObjectNode node, final String start, final String length) {
    node.put("start", Integer.parseInt(start));
    if (length == null) {
      node.putNull("length");
    } else {
      node.put("length", Integer.parseInt(length));
    }
  }

  /** Renders FileDiff objects as git diff text (header, extended header, index, paths, hunks). */
  private static String render(final List<? extends JsonNode> fileDiffs) {
    final StringBuilder sb = new StringBuilder();
    for (final JsonNode d : fileDiffs) {
      final String path = path(d);
      sb.append("diff --git a/").append(path).append(" b/").append(path).append('\n');
      final JsonNode misc = d.path("header").path("misc_line");
      if (misc.isTextual()) {
        sb.append(misc.textValue()).append('\n');
      }
      final JsonNode index = d.path("index_line");
      if (index.isObject()) {
        sb.append("index ").append(index.path("old_commit_hash").asText()).append("..")
            .append(index.path("new_commit_hash").asText());
        if (!index.path("mode").asText().isEmpty()) {
          sb.append(' ').append(index.path("mode").asText());
        }
        sb.append('\n');
      }
      if (d.path("is_binary_file").asBoolean()) {
        sb.append(d.path("binary_line").asText()).append('\n');
      }
      if (d.path("minus_file").isObject()) {
        sb.append("--- ").append(d.path("minus_file").path("path").asText()).append('\n');
      }
      if (d.path("plus_file").isObject()) {
        sb.append("+++ ").append(d.path("plus_file").path("path").asText()).append('\n');
      }
      for (final JsonNode h : d.path("hunks")) {
        final JsonNode desc = h.path("descriptor");
        sb.append("@@ -").append(range(desc.path("old_range"))).append(" +").append(range(desc.path("new_range")))
            .append(" @@");
        if (!desc.path("section").asText().isEmpty()) {
          sb.append(' ').append(desc.path("section").asText());
        }
        sb.append('\n');
        for (final JsonNode l : h.path("line_group").path("all_lines")) {
          sb.append(switch (l.path("type").asText()) {
            case "added" -> '+';
            case "deleted" -> '-';
            case "note" -> '\\';
            default -> ' ';
          }).append(l.path("content").asText()).append('\n');
        }
      }
    }
    return sb.toString();
  }

  private static String range(final JsonNode r) {
    final JsonNode length = r.path("length");
    return r.path("start").asText() + (length.isNumber() ? "," + length.asInt() : "");
  }
}
