package io.r2estream.producers.tasks;

import io.r2estream.avro.Entity;
import io.r2estream.avro.EntityChange;
import io.r2estream.avro.EntityKind;
import io.r2estream.avro.EnvironmentRef;
import io.r2estream.avro.TaskInstance;
import java.time.Instant;
import java.util.List;

/** A task as the task-assembly topology writes it, with diffs of the shapes git produces. */
final class TaskSamples {

  static final String PATCH = """
      diff --git a/widgets/area.py b/widgets/area.py
      index 1111111..2222222 100644
      --- a/widgets/area.py
      +++ b/widgets/area.py
      @@ -1,4 +1,4 @@ import math
       def area(w, h):
      -    return w + h
      +    return w * h
      \\ No newline at end of file
      diff --git a/widgets/shape.py b/widgets/shape.py
      new file mode 100644
      index 0000000..4444444
      --- /dev/null
      +++ b/widgets/shape.py
      @@ -0,0 +1 @@
      +class Shape: pass
      diff --git a/widgets/old.py b/widgets/old.py
      deleted file mode 100644
      index 5555555..0000000
      --- a/widgets/old.py
      +++ /dev/null
      @@ -1 +0,0 @@
      -OLD = 1
      diff --git a/docs/logo.png b/docs/logo.png
      index 6666666..7777777 100644
      Binary files a/docs/logo.png and b/docs/logo.png differ
      """;
  static final String TEST_PATCH = """
      diff --git a/tests/test_area.py b/tests/test_area.py
      index 8888888..9999999 100644
      --- a/tests/test_area.py
      +++ b/tests/test_area.py
      @@ -3,6 +3,10 @@ from widgets.area import area
      \s
       def test_zero():
           assert area(0, 1) == 0
      +
      +
      +def test_area():
      +    assert area(2, 3) == 6
      @@ -20,3 +24,3 @@ def test_other():
      -    pass
      +    assert True
      """;

  private TaskSamples() {
  }

  static TaskInstance task(final String sha) {
    return TaskInstance.newBuilder()
        .setInstanceId("acme/widgets@" + sha).setRepo("acme/widgets").setBaseCommit(sha + "0parent")
        .setPatch(PATCH).setTestPatch(TEST_PATCH)
        .setFAILTOPASS(List.of("tests/test_area.py::test_area"))
        .setPASSTOPASS(List.of("tests/test_area.py::test_zero", "tests/test_area.py::test_other"))
        .setProblemStatement("area() adds its sides.\n\nExpected `area(2, 3) == 6`, got 5.")
        .setHintsText("")
        .setCreatedAt(Instant.parse("2025-03-04T05:06:07Z"))
        .setVersion("")
        .setEnvironment(EnvironmentRef.newBuilder().setImage("r2e-env/widgets:3f2a")
            .setTestCommand(ImportDefaults.R2E_TEST_COMMAND).build())
        .setCommitHash(sha).setRepoName("widgets").setDockerImage("r2e-env/widgets:3f2a")
        .setModifiedFiles(List.of("widgets/area.py", "widgets/shape.py", "widgets/old.py", "docs/logo.png",
            "tests/test_area.py"))
        .setModifiedEntitySummaries(List.of(
            new Entity("widgets/area.py", EntityKind.FUNCTION, "area", EntityChange.MODIFIED, 1, 2),
            new Entity("widgets/shape.py", EntityKind.CLASS, "Shape", EntityChange.ADDED, 1, 1),
            new Entity("widgets/shape.py", EntityKind.METHOD, "Shape.size", EntityChange.DELETED, 3, 4)))
        .setRelevantFiles(List.of("widgets/area.py"))
        .setNumNonTestFiles(3).setNumNonTestFuncMethods(3).setNumNonTestLines(4)
        .setExpectedOutputJson("{\"tests/test_area.py::test_area\":\"PASSED\",\"tests/test_area.py::test_zero\":\"PASSED\"}")
        .setPrompt("Write an issue.")
        .setSource("swegen")
        .setHiddenTests(List.of("tests/test_area.py"))
        .setFlakyTests(List.of("tests/test_area.py::test_sometimes"))
        .setProblemStatementSource("llm")
        .build();
  }
}
