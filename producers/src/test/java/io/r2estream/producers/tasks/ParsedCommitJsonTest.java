package io.r2estream.producers.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedCommitJsonTest {

  private static final ParsedCommitJson.Patches PATCHES =
      new ParsedCommitJson.Patches(TaskSamples.PATCH, TaskSamples.TEST_PATCH);

  @Test
  void describesEveryFileDiffLikeR2eGymsParsedCommit() {
    final ObjectNode pc = ParsedCommitJson.of(PATCHES, "p4r3nt", "c0ffee", "2025-03-04T05:06:07Z");

    assertEquals("p4r3nt", pc.get("old_commit_hash").asText());
    assertEquals("c0ffee", pc.get("new_commit_hash").asText());
    assertEquals("2025-03-04T05:06:07Z", pc.get("commit_date").asText());
    final List<String> paths = new ArrayList<>();
    pc.get("file_diffs").forEach(d -> paths.add(d.path("header").path("file").path("path").asText()));
    assertEquals(List.of("widgets/area.py", "widgets/shape.py", "widgets/old.py", "docs/logo.png",
        "tests/test_area.py"), paths);
    final JsonNode area = pc.get("file_diffs").get(0);
    assertEquals("1111111", area.path("index_line").path("old_commit_hash").asText());
    assertEquals("100644", area.path("index_line").path("mode").asText());
    assertEquals("a/widgets/area.py", area.path("minus_file").path("path").asText());
    final JsonNode hunk = area.path("hunks").get(0).path("descriptor");
    assertEquals(1, hunk.path("old_range").path("start").asInt());
    assertEquals(4, hunk.path("new_range").path("length").asInt());
    assertEquals("import math", hunk.path("section").asText());
    final List<String> types = new ArrayList<>();
    area.path("hunks").get(0).path("line_group").path("all_lines").forEach(l -> types.add(l.path("type").asText()));
    assertEquals(List.of("context", "deleted", "added", "note"), types);
    final JsonNode shape = pc.get("file_diffs").get(1);
    assertEquals("new file mode 100644", shape.path("header").path("misc_line").asText());
    assertEquals("/dev/null", shape.path("minus_file").path("path").asText());
    assertTrue(shape.path("hunks").get(0).path("descriptor").path("new_range").path("length").isNull(),
        "'+1' without a length");
    assertTrue(pc.get("file_diffs").get(3).path("is_binary_file").asBoolean());
    assertEquals("tests/test_area.py", pc.path("metadata").path("test_files").get(0).asText());
    assertFalse(pc.path("metadata").has("patch"), "git-shaped diffs are rebuilt from the structure, not kept raw");
    assertFalse(pc.path("metadata").has("test_patch"));
  }

  @Test
  void recoversBothPatchesByteForByte() {
    final ObjectNode pc = ParsedCommitJson.of(PATCHES, "p", "c", "2025-03-04T05:06:07Z");

    assertEquals(PATCHES, ParsedCommitJson.patches(pc));
  }

  @Test
  void withoutTheTestFileListR2eGymsPredicateSplitsThePatches() {
    final ObjectNode pc = ParsedCommitJson.of(PATCHES, "p", "c", "2025-03-04T05:06:07Z");
    ((ObjectNode) pc.get("metadata")).remove("test_files");

    assertEquals(PATCHES, ParsedCommitJson.patches(pc));
  }

  @Test
  void aDiffTheStructureCannotReproduceIsKeptVerbatim() {
    final String rename = """
        diff --git a/old_name.py b/new_name.py
        similarity index 90%
        rename from old_name.py
        rename to new_name.py
        """;
    final String noFinalNewline = "diff --git a/t/test_x.py b/t/test_x.py\n--- a/t/test_x.py\n+++ b/t/test_x.py";
    final ParsedCommitJson.Patches odd = new ParsedCommitJson.Patches(rename, noFinalNewline);

    final ObjectNode pc = ParsedCommitJson.of(odd, "p", "c", "d");

    assertEquals(rename, pc.path("metadata").path("patch").asText());
    assertEquals(odd, ParsedCommitJson.patches(pc));
  }

  @Test
  void listsThePathsOfADiff() {
    assertEquals(List.of("tests/test_area.py"), ParsedCommitJson.paths(TaskSamples.TEST_PATCH));
    assertEquals(List.of(), ParsedCommitJson.paths(""));
  }
}
