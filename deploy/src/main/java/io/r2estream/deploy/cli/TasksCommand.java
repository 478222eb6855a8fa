package io.r2estream.deploy.cli;

import io.r2estream.avro.TaskInstance;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.producers.tasks.ImportDefaults;
import io.r2estream.producers.tasks.TaskFiles;
import io.r2estream.producers.tasks.TaskPublisher;
import io.r2estream.producers.tasks.TaskRowFormat;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code r2e tasks}: the task catalogue on the compacted {@code r2e.tasks} (latest value per instance id), listed,
 * shown, imported from and exported to R2E-Gym or SWE-bench JSONL datasets.
 */
@Command(name = "tasks", description = "List, show, import and export the tasks on r2e.tasks.",
    subcommands = {TasksCommand.ListTasks.class, TasksCommand.ShowTask.class, TasksCommand.ImportTasks.class,
        TasksCommand.ExportTasks.class})
final class TasksCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Spec
  CommandSpec spec;

  /** Without a subcommand: the usage, and the exit code of a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(System.err);
    return 2;
  }

  /** Where the platform is, checked to answer before anything is read or written. */
  private Target target() {
    final PlatformConfig config = root.config(Map.of());
    final Map<String, Object> bootstrap = config.kafkaClient();
    try (TopicStats probe = TopicStats.connect(bootstrap)) {
      // fails with one clear line when nothing is running
    }
    return new Target(bootstrap, config.effectiveRegistryUrl());
  }

  private record Target(Map<String, Object> bootstrap, String registryUrl) {
    SortedMap<String, TaskInstance> tasks() {
      return TaskTopicReader.readAll(bootstrap, registryUrl);
    }
  }

  @Command(name = "list", description = "One line per task: id, repository, FAIL_TO_PASS and PASS_TO_PASS counts, "
      + "statement source.")
  static final class ListTasks implements Callable<Integer> {

    @ParentCommand
    TasksCommand parent;

    @Option(names = "--repo", description = "Only the tasks of this repository (e.g. acme/widgets).")
    String repo;

    @Option(names = "--limit", description = "At most N tasks (by id).")
    Integer limit;

    @Override
    public Integer call() {
      if (limit != null && limit < 1) {
        throw new IllegalArgumentException("--limit must be at least 1, got " + limit);
      }
      final List<TaskInstance> tasks = select(parent.target().tasks().values(), repo);
      final List<TaskInstance> shown = limit == null ? tasks : tasks.subList(0, Math.min(limit, tasks.size()));
      System.out.printf("%-48s %-28s %5s %5s  %s%n", "ID", "REPO", "F2P", "P2P", "STATEMENT");
      for (final TaskInstance t : shown) {
        System.out.printf("%-48s %-28s %5d %5d  %s%n", t.getInstanceId(), t.getRepo(), t.getFAILTOPASS().size(),
            t.getPASSTOPASS().size(), t.getProblemStatementSource().isEmpty() ? "-" : t.getProblemStatementSource());
      }
      System.out.println(shown.size() + " of " + tasks.size() + " tasks" + (repo == null ? "" : " of " + repo));
      return 0;
    }
  }

  @Command(name = "show", description = "A task's fields, problem statement, tests and patches.")
  static final class ShowTask implements Callable<Integer> {

    @ParentCommand
    TasksCommand parent;

    @Parameters(index = "0", paramLabel = "ID", description = "Instance id, e.g. acme/widgets@c0ffee.")
    String id;

    @Override
    public Integer call() {
      final TaskInstance t = parent.target().tasks().get(id);
      if (t == null) {
        throw new IllegalArgumentException("no task '" + id + "' on " + Topics.TASKS.name()
            + " (`r2e tasks list` shows the ids)");
      }
      System.out.println("instance_id:      " + t.getInstanceId());
      System.out.println("repo:             " + t.getRepo() + " (" + t.getRepoName() + ")");
      System.out.println("base_commit:      " + t.getBaseCommit());
      System.out.println("commit_hash:      " + t.getCommitHash());
      System.out.println("created_at:       " + t.getCreatedAt());
      System.out.println("source:           " + t.getSource());
      System.out.println("statement source: " + t.getProblemStatementSource());
      System.out.println("environment:      " + t.getEnvironment().getImage() + " (" + t.getEnvironment()
          .getTestCommand() + ", parser " + t.getEnvironment().getLogParser() + ")");
      System.out.println("stats:            " + t.getNumNonTestFiles() + " non-test files, "
          + t.getNumNonTestFuncMethods() + " functions/methods/classes, " + t.getNumNonTestLines() + " lines");
      if (!t.getVersion().isEmpty()) {
        System.out.println("version:          " + t.getVersion());
      }
      list("FAIL_TO_PASS", t.getFAILTOPASS());
      list("PASS_TO_PASS", t.getPASSTOPASS());
      list("hidden tests", t.getHiddenTests());
      list("flaky tests", t.getFlakyTests());
      list("relevant files", t.getRelevantFiles());
      section("problem statement", t.getProblemStatement());
      if (!t.getHintsText().isEmpty()) {
        section("hints", t.getHintsText());
      }
      section("patch", t.getPatch());
      section("test patch", t.getTestPatch());
      return 0;
    }

    private static void list(final String title, final List<String> items) {
      System.out.println(title + " (" + items.size() + "):");
      items.forEach(i -> System.out.println("  " + i));
    }

    private static void section(final String title, final String body) {
      System.out.println("--- " + title + " ---");
      System.out.print(body.endsWith("\n") ? body : body + "\n");
    }
  }

  @Command(name = "import", description = "Publish the tasks of a JSONL dataset to r2e.tasks; bad rows are "
      + "reported with their line numbers and not published (exit code 1 if any).")
  static final class ImportTasks implements Callable<Integer> {

    @ParentCommand
    TasksCommand parent;

    @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "One dataset row per line.")
    Path file;

    @Option(names = "--format", required = true, description = "r2egym or swebench.")
    String format;

    @Option(names = "--image", description = "Env image for rows that name none (SWE-bench rows; default: the "
        + "public SWE-bench image of each instance).")
    String image;

    @Override
    public Integer call() {
      final TaskRowFormat f = TaskRowFormat.parse(format);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
      }
      final TaskFiles.ReadResult read = TaskFiles.read(file, f, ImportDefaults.of(f, image));
      read.errors().forEach(e -> System.err.println(file.getFileName() + ": " + e));
      final Target target = parent.target();
      if (!read.tasks().isEmpty()) {
        try (TaskPublisher publisher = new TaskPublisher(target.bootstrap(), target.registryUrl())) {
          publisher.publishAll(read.tasks());
        }
      }
      System.out.println("Imported " + read.tasks().size() + " tasks from " + file + " (" + f.cliName() + ")"
          + (read.errors().isEmpty() ? "" : "; " + read.errors().size() + " rows refused"));
      return read.errors().isEmpty() ? 0 : 1;
    }
  }

  @Command(name = "export", description = "Write the tasks on r2e.tasks to a JSONL dataset, sorted by id.")
  static final class ExportTasks implements Callable<Integer> {

    @ParentCommand
    TasksCommand parent;

    @Parameters(index = "0", paramLabel = "FILE.jsonl", description = "Output file (overwritten).")
    Path file;

    @Option(names = "--format", required = true, description = "r2egym or swebench.")
    String format;

    @Option(names = "--repo", description = "Only the tasks of this repository.")
    String repo;

    @Override
    public Integer call() {
      final TaskRowFormat f = TaskRowFormat.parse(format);
      final List<TaskInstance> tasks = select(parent.target().tasks().values(), repo);
      TaskFiles.write(file, f, tasks);
      System.out.println("Exported " + tasks.size() + " tasks to " + file + " (" + f.cliName() + ")");
      return 0;
    }
  }

  private static List<TaskInstance> select(final Collection<TaskInstance> tasks, final String repo) {
    return tasks.stream().filter(t -> repo == null || repo.equals(t.getRepo())).toList();
  }
}
