package io.r2estream.producers.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.r2estream.avro.TaskInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFilesTest {

  @TempDir
  Path dir;

  @Test
  void badRowsAreReportedWithTheirLineNumbersAndTheOthersRead() throws Exception {
    final Path file = dir.resolve("tasks.jsonl");
    final String good = SweBenchRowsTest.SWE_BENCH_LINE;
    Files.writeString(file, String.join("\n", good, "", "{not json", "[1, 2]",
        good.replace("\"problem_statement\": \"Modeling", "\"problem_statement\": 7, \"x\": \"Modeling"),
        good.replace("astropy__astropy-12907", "astropy__astropy-2")) + "\n", StandardCharsets.UTF_8);

    final TaskFiles.ReadResult r = TaskFiles.read(file, TaskRowFormat.SWEBENCH,
        ImportDefaults.of(TaskRowFormat.SWEBENCH, null));

    assertEquals(List.of("astropy__astropy-12907", "astropy__astropy-2"),
        r.tasks().stream().map(TaskInstance::getInstanceId).toList());
    assertEquals(List.of(3, 4, 5), r.errors().stream().map(TaskFiles.RowError::line).toList());
    assertEquals("line 4: a row must be a JSON object", r.errors().get(1).toString());
    assertEquals("line 5: field 'problem_statement' must be a string, got NUMBER 7", r.errors().get(2).toString());
  }

  @Test
  void writesOneRowPerTaskThatReadsBack() {
    final Path file = dir.resolve("out.jsonl");
    final List<TaskInstance> tasks = List.of(TaskSamples.task("a1"), TaskSamples.task("b2"));

    TaskFiles.write(file, TaskRowFormat.R2EGYM, tasks);
    final TaskFiles.ReadResult r = TaskFiles.read(file, TaskRowFormat.R2EGYM,
        ImportDefaults.of(TaskRowFormat.R2EGYM, null));

    assertEquals(List.of(), r.errors());
    assertEquals(List.of("acme/widgets@a1", "acme/widgets@b2"),
        r.tasks().stream().map(TaskInstance::getInstanceId).toList());
  }
}
