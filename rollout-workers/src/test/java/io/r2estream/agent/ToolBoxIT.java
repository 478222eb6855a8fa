package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.avro.EnvCandidate;
import io.r2estream.envbuilder.EnvImage;
import io.r2estream.envbuilder.EnvImages;
import io.r2estream.envbuilder.HostRepository;
import io.r2estream.envbuilder.SampleCandidates;
import io.r2estream.envbuilder.TaskMaterializer;
import io.r2estream.recipes.RecipeRegistry;
import io.r2estream.runtime.Container;
import io.r2estream.runtime.DockerContainerRuntime;
import io.r2estream.runtime.ResourceLimits;
import io.r2estream.runtime.images.PythonBaseImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every tool against a real task container of the sample project (its env image, at the parent commit of a
 * candidate), observations compared as whole texts. Scratch files go under /tmp so that /testbed stays at the base
 * commit; the output-patch test edits /testbed in a container of its own.
 */
class ToolBoxIT {

  private static final String OWNER = "r2e-test-toolbox";
  private static final String EDITOR = "Execution output of [file_editor]:\n";
  private static final String BASH = "Exit code: 0\nExecution output of [execute_bash]:\n";
  @TempDir
  static Path tmp;
  private static DockerContainerRuntime runtime;
  private static HostRepository repo;
  private static EnvImage image;
  private static EnvCandidate candidate;
  private static Container container;
  private static ToolBox tools;

  @BeforeAll
  static void setUp() throws Exception {
    runtime = new DockerContainerRuntime(OWNER);
    runtime.reapLeaked(OWNER);
    new PythonBaseImage(runtime).ensure();
    candidate = SampleCandidates.of(SampleCandidates.sampleProject(tmp.resolve("textkit")), "textkit-tools").stream()
        .filter(c -> c.getCommitMessage().startsWith("wrap: truncate() must not exceed width")).findFirst()
        .orElseThrow();
    repo = HostRepository.open(candidate.getRepository(), candidate.getSourceUrl(), tmp);
    image = new EnvImages(runtime, PythonBaseImage.DEFAULT_TAG, new ResourceLimits(2, 2L << 30, 2048))
        .ensure(repo, RecipeRegistry.defaults().forRepository(candidate.getRepository()), candidate.getParentSha());
    container = start();
    tools = new ToolBox(runtime, container, ToolBox.Settings.defaults());
  }

  @AfterAll
  static void tearDown() {
    try {
      if (container != null) {
        runtime.remove(container);
      }
      if (repo != null) {
        repo.close();
      }
    } finally {
      runtime.reapLeaked(OWNER);
      runtime.close();
    }
  }

  private static Container start() {
    return new TaskMaterializer(runtime, ResourceLimits.defaults()).start(image, repo, candidate.getParentSha(),
        "r2e-toolbox-", Map.of());
  }

  private static Action act(final String tool, final String... keyValues) {
    final Map<String, String> p = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      p.put(keyValues[i], keyValues[i + 1]);
    }
    return new Action(tool, p);
  }

  private static String run(final String tool, final String... keyValues) {
    return tools.execute(act(tool, keyValues)).observation();
  }

  private static String bash(final String cmd) {
    return run("execute_bash", "cmd", cmd);
  }

  @Test
  void viewAndCreatePrintR2eGymsTexts() {
    final String d = "/tmp/it/view";
    assertEquals(EDITOR + "File created at " + d + "/a.py. Here's the result of running `cat -n` on " + d
        + "/a.py:\n     1\timport os\n     2\t        x = 1\n"
        + "Review the file and make sure that it is as expected. Edit the file if necessary.\n",
        run("file_editor", "command", "create", "path", d + "/a.py", "file_text", "import os\n\tx = 1"));
    run("file_editor", "command", "create", "path", d + "/notes.txt", "file_text", "hello");
    run("file_editor", "command", "create", "path", d + "/sub/b.py", "file_text", "B = 2");
    run("file_editor", "command", "create", "path", d + "/.hidden.py", "file_text", "H = 1");

    assertEquals(EDITOR + "Here's the result of running `cat -n` on the file: " + d + "/a.py:\n     1 import os\n"
        + "     2 \tx = 1\n", run("file_editor", "command", "view", "path", d + "/a.py"));
    assertEquals(EDITOR + "Here's the files and directories up to 2 levels deep in " + d + ", excluding hidden:\n"
        + d + "\n" + d + "/a.py\n" + d + "/sub\n" + d + "/sub/b.py\n\n",
        run("file_editor", "command", "view", "path", d + "/"));
    assertEquals(EDITOR + "\nERROR: ERROR: Viewing non-Python files is disallowed for saving context. File "
        + "'notes.txt' is not a .py file.\n", run("file_editor", "command", "view", "path", d + "/notes.txt"));
    assertEquals(EDITOR + "Here's the result of running `cat -n` on the file: " + d + "/a.py:\n     2 \tx = 1\n",
        run("file_editor", "command", "view", "path", d + "/a.py", "view_range", "[2, -1]"));
    assertEquals(EDITOR + "\nERROR: Invalid view_range [3, 4]: start line must be in [1, 2]\n",
        run("file_editor", "command", "view", "path", d + "/a.py", "view_range", "[3, 4]"));
    assertEquals(EDITOR + "\nERROR: Invalid view_range [1, 5]: end must be >= start and <= 2, or -1 to view until "
        + "end.\n", run("file_editor", "command", "view", "path", d + "/a.py", "view_range", "1,5"));
    assertEquals(EDITOR + "ERROR: File already exists at: " + d + "/a.py. Cannot overwrite with 'create'.\n",
        run("file_editor", "command", "create", "path", d + "/a.py", "file_text", "x"));
    assertEquals(EDITOR + "ERROR: The path '" + d + "/zzz.py' does not exist.\n",
        run("file_editor", "command", "view", "path", d + "/zzz.py"));
    assertEquals(EDITOR + "ERROR: The path '" + d + "' is a directory. Only 'view' can be used on directories.\n",
        run("file_editor", "command", "str_replace", "path", d, "old_str", "x", "new_str", "y"));
    assertEquals(EDITOR + "ERROR: Unrecognized command 'delete'. Allowed commands: view, create, str_replace, "
        + "insert, undo_edit.\n", run("file_editor", "command", "delete", "path", d + "/a.py"));
    assertEquals(EDITOR + "ERROR: Missing required parameter 'path' for 'file_editor'.\n",
        run("file_editor", "command", "view"));
    final String relative = run("file_editor", "command", "view", "path", "textkit/wrap.py", "view_range", "[1, 1]");
    assertTrue(relative.startsWith(EDITOR + "Here's the result of running `cat -n` on the file: textkit/wrap.py:\n"
        + "     1 "), relative);
  }

  @Test
  void editsShowSnippetsAndUndoRestoresEachVersionInTurn() {
    final String f = "/tmp/it/edit/m.py";
    bash("mkdir -p /tmp/it/edit && printf 'a = 1\\nb = 2\\nc = 3\\nb = 2\\n' > " + f + " && chmod 755 " + f);
    assertEquals(EDITOR + "ERROR: No occurrences of 'x = 9' found in " + f + " for replacement.\n",
        run("file_editor", "command", "str_replace", "path", f, "old_str", "x = 9", "new_str", "y"));
    assertEquals(EDITOR + "ERROR: Multiple occurrences of 'b = 2' found in " + f + ". Please ensure it is unique "
        + "before using str_replace.\n",
        run("file_editor", "command", "str_replace", "path", f, "old_str", "b = 2", "new_str", "y"));
    assertEquals(EDITOR + "The file " + f + " has been edited. Here's the result of running `cat -n` on a snippet of "
        + f + ":\n     1\ta = 1\n     2\tb = 2\n     3\tc = 30\n     4\td = 4\n     5\tb = 2\n     6\t\n"
        + "Review the changes and make sure they are as expected. Edit the file again if necessary.\n",
        run("file_editor", "command", "str_replace", "path", f, "old_str", "c = 3", "new_str", "c = 30\nd = 4"));
    assertEquals(EDITOR + "The file " + f + " has been edited. Here's the result of running `cat -n` on a snippet of "
        + "the edited file:\n     1\ta = 1\n     2\tz = 0\n     3\tb = 2\n     4\tc = 30\n     5\td = 4\n"
        + "     6\tb = 2\nReview the changes and make sure they are as expected (correct indentation, no duplicate "
        + "lines, etc). Edit the file again if necessary.\n",
        run("file_editor", "command", "insert", "path", f, "insert_line", "1", "new_str", "z = 0"));
    assertEquals(EDITOR + "ERROR: Invalid insert_line 99. Must be in [0, 7].\n",
        run("file_editor", "command", "insert", "path", f, "insert_line", "99", "new_str", "q"));
    assertEquals(BASH + "[STDOUT]\n\na = 1\nz = 0\nb = 2\nc = 30\nd = 4\nb = 2\n755 \n\n[STDERR]\n\n\n",
        bash("cat " + f + " && stat -c %a " + f), "edits keep the file's mode");

    // The undo stack lives in the container: a new ToolBox on the same container undoes the first one's edits.
    final ToolBox other = new ToolBox(runtime, container, ToolBox.Settings.defaults());
    assertEquals(EDITOR + "Last edit to " + f + " undone successfully. Here's the result of running `cat -n` on " + f
        + ":\n     1\ta = 1\n     2\tb = 2\n     3\tc = 30\n     4\td = 4\n     5\tb = 2\n     6\t\n\n",
        other.execute(act("file_editor", "command", "undo_edit", "path", f)).observation());
    run("file_editor", "command", "undo_edit", "path", "/tmp/it/../it/edit/m.py");
    assertEquals(BASH + "[STDOUT]\n\na = 1\nb = 2\nc = 3\nb = 2 \n\n[STDERR]\n\n\n", bash("cat " + f));
    assertEquals(EDITOR + "ERROR: No previous edits found for " + f + " to undo.\n",
        run("file_editor", "command", "undo_edit", "path", f));
  }

  @Test
  void longPythonFilesAreCondensedUnlessARangeIsAsked() {
    final List<String> lines = new ArrayList<>(List.of("class Big:", "    \"\"\"Doc line 1.", "", "    more",
        "    more", "    end.", "    \"\"\"", "", "    def method(self):", "        x = 1", "        y = 2",
        "        z = 3", "        return x + y + z", "", "def small():", "    return 1", "", "def filler():"));
    while (lines.size() < 149) {
      lines.add("    a" + lines.size() + " = " + lines.size());
    }
    lines.add("    return 0");
    final String f = "/tmp/it/concise/big.py";
    run("file_editor", "command", "create", "path", f, "file_text", String.join("\n", lines) + "\n");
    assertEquals(EDITOR + "Here is a condensed view for file: " + f + "; [Note: Useful for understanding file "
        + "structure in a concise manner. Please use specific view_range without concise cmd if you want to explore "
        + "further into the relevant parts.]\n     1 class Big:\n     2     \"\"\"Doc line 1.\n"
        + "     3 ... eliding lines 3-6 ...\n     7     \"\"\"\n     8 \n     9     def method(self):\n"
        + "    10 ... eliding lines 10-13 ...\n    14 \n    15 def small():\n    16     return 1\n    17 \n"
        + "    18 def filler():\n    19 ... eliding lines 19-150 ...\n",
        run("file_editor", "command", "view", "path", f));
    assertEquals(EDITOR + "Here's the result of running `cat -n` on the file: " + f + ":\n     9     def method(self):\n"
        + "    10         x = 1\n", run("file_editor", "command", "view", "path", f, "view_range", "[9, 10]"));
    bash("printf 'def broken(:\\n' > /tmp/it/concise/bad.py");
    final String bad = run("file_editor", "command", "view", "path", "/tmp/it/concise/bad.py", "concise", "True");
    assertTrue(bad.startsWith(EDITOR + "ERROR: Syntax error for file /tmp/it/concise/bad.py: "), bad);
  }

  @Test
  void bashRunsInTheTestbedWithTheContainerEnvironment() {
    assertEquals(BASH + "[STDOUT]\n\nhello \n\n[STDERR]\n\noops\n", bash("echo hello; echo oops >&2"));
    assertEquals("Exit code: Error: Exit code 3\nExecution output of [execute_bash]:\nError executing command:\n\n"
        + "[STDOUT]\n\nout \n\n[STDERR]\n\n\n", bash("echo out; exit 3"));
    final String where = bash("pwd; echo \"$PATH\"; python -c 'import sys; print(sys.prefix)'");
    assertTrue(where.startsWith(BASH + "[STDOUT]\n\n/testbed\n"), where);
    assertTrue(where.contains(image.env().getOrDefault("PATH", "/r2e/venv/bin").split(":")[0]), where);
    assertEquals("Exit code: Error: Exit code 1\nExecution output of [execute_bash]:\nBash command 'git' is not "
        + "allowed. Please use a different command or tool.\n", bash("  git log --all"));
    assertEquals("Execution output of [execute_bash]:\nERROR: Missing required parameter 'cmd' for 'execute_bash'.\n",
        run("execute_bash", "timeout", "5"));
    assertEquals(BASH + "[STDOUT]\n\nalias \n\n[STDERR]\n\n\n", run("execute_bash", "command", "echo alias"));
  }

  @Test
  void aCommandPastItsTimeLimitIsReportedAndTheContainerStaysUsable() {
    final ToolBox quick = new ToolBox(runtime, container, new ToolBox.Settings(Duration.ofSeconds(2), true));
    final long start = System.nanoTime();
    final ToolResult r = quick.execute(act("execute_bash", "cmd", "sleep 60; echo never"));
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals("Exit code: -1\nExecution output of [execute_bash]:\nThe command took too long to execute (>2s)",
        r.observation());
    assertTrue(r.failed());
    assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "took " + took);
    assertEquals(BASH + "[STDOUT]\n\nstill here \n\n[STDERR]\n\n\n",
        quick.execute(act("execute_bash", "cmd", "echo still here")).observation());
  }

  @Test
  void longOutputsKeepTheirFirstAndLastFortyLines() {
    final List<String> all = new ArrayList<>(List.of("[STDOUT]", ""));
    for (int i = 1; i <= 99; i++) {
      all.add(Integer.toString(i));
    }
    all.addAll(List.of("100 ", "", "[STDERR]", "", ""));
    final String dashes = "-".repeat(50);
    assertEquals(BASH + String.join("\n", all.subList(0, 40)) + "\n" + dashes
        + "\n<Observation truncated in middle for saving context>\n" + dashes + "\n"
        + String.join("\n", all.subList(all.size() - 40, all.size())), bash("seq 1 100"));
  }

  @Test
  void searchCountsLinesPerFileOrGrepsOneFile() {
    bash("mkdir -p /tmp/it/search/pkg /tmp/it/search/.hidden && printf 'needle = 1\\nx = needle\\n' > "
        + "/tmp/it/search/a.py && printf 'needle\\n' > /tmp/it/search/pkg/b.py && printf 'needle\\n' > "
        + "/tmp/it/search/.hidden/c.py && printf 'needle\\n' > /tmp/it/search/notes.txt");
    final String s = "Execution output of [search]:\n";
    assertEquals(s + "Found 3 matches for \"needle\" in /tmp/it/search:\n./../tmp/it/search/a.py (2 matches)\n"
        + "./../tmp/it/search/pkg/b.py (1 matches)\nEnd of matches for \"needle\" in /tmp/it/search\n",
        run("search", "search_term", "needle", "path", "/tmp/it/search"));
    assertEquals(s + "Matches for \"needle\" in /tmp/it/search/a.py:\n1:needle = 1\n2:x = needle\n",
        run("search", "search_term", "needle", "path", "/tmp/it/search/a.py"));
    assertEquals(s + "No matches found for \"zzz\" in /tmp/it/search/a.py\n",
        run("search", "search_term", "zzz", "path", "/tmp/it/search/a.py"));
    assertEquals(s + "No matches found for \"zzz\" in /tmp/it/search\n",
        run("search", "search_term", "zzz", "path", "/tmp/it/search"));
    assertEquals(s + "Directory '/tmp/it/nowhere' not found or not a directory.\n",
        run("search", "search_term", "zzz", "path", "/tmp/it/nowhere"));
    final String repoWide = run("search", "search_term", "def truncate");
    assertTrue(repoWide.startsWith(s + "Found 1 matches for \"def truncate\" in /testbed:\n./textkit/wrap.py (1 matches)\n"),
        repoWide);
    bash("mkdir -p /tmp/it/many && for i in $(seq 1 101); do echo needle > /tmp/it/many/f$i.py; done");
    assertEquals(s + "More than 101 files matched for \"needle\" in /tmp/it/many. Please narrow your search.\n",
        run("search", "search_term", "needle", "path", "/tmp/it/many"));
  }

  @Test
  void finishEndsTheEpisodeAndUnknownToolsAreRefused() {
    final ToolResult done = tools.execute(act("finish", "command", "submit"));
    assertEquals(new ToolResult("<<< Finished >>>", true, false), done);
    final var parsed = (ParsedResponse.Found) ActionParser.parseText("<function=open_browser>\n"
        + "<parameter=url>http://example.com</parameter>\n</function>");
    final ToolResult unknown = tools.execute(parsed.action());
    assertEquals("Execution output of [open_browser]:\nERROR: Unknown tool 'open_browser'. Available tools: "
        + "file_editor, search, execute_bash, finish.\n", unknown.observation());
    assertFalse(unknown.done());
    assertTrue(unknown.failed());
  }

  @Test
  void theOutputPatchKeepsTheFixAndDropsScratchFiles() {
    final Container own = start();
    try {
      final ToolBox t = new ToolBox(runtime, own, ToolBox.Settings.defaults());
      final String wrap = runtime.exec(own, io.r2estream.runtime.ExecRequest.of("cat textkit/wrap.py",
          Duration.ofSeconds(30))).output();
      final String firstLine = wrap.lines().filter(l -> l.startsWith("def truncate")).findFirst().orElseThrow();
      assertTrue(t.execute(act("file_editor", "command", "str_replace", "path", "/testbed/textkit/wrap.py",
          "old_str", firstLine, "new_str", firstLine + "\n    # fixed")).observation().contains("has been edited"));
      t.execute(act("file_editor", "command", "create", "path", "/testbed/reproduce_issue.py", "file_text",
          "from textkit.wrap import truncate\nprint(truncate('abc', 2))\n"));
      t.execute(act("file_editor", "command", "create", "path", "/testbed/tests/test_truncate_width.py",
          "file_text", "def test_width():\n    assert True\n"));
      assertTrue(t.execute(act("execute_bash", "cmd", "python reproduce_issue.py")).observation()
          .startsWith("Exit code: 0"));
      final String patch = t.outputPatch(candidate.getParentSha());
      assertTrue(patch.contains("diff --git a/textkit/wrap.py b/textkit/wrap.py\n"), patch);
      assertTrue(patch.contains("+    # fixed\n"), patch);
      assertTrue(patch.contains("diff --git a/tests/test_truncate_width.py b/tests/test_truncate_width.py\n"), patch);
      assertFalse(patch.contains("reproduce_issue.py"), patch);
      assertFalse(patch.contains("old mode"), "no mode change: " + patch);
      assertFalse(patch.contains("__pycache__"), patch);
      assertEquals(List.of("reproduce_issue.py"), ScratchFiles.scratchPaths(new io.r2estream.runtime.Patches(runtime)
          .diff(own, candidate.getParentSha())));
    } finally {
      runtime.remove(own);
    }
  }
}
