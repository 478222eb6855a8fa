package io.r2estream.deploy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code r2e swegen <repo>}: the whole commit → task pipeline for one repository on the embedded platform: ingest,
 * select, validate in Docker, back-translate, assemble tasks; prints the funnel with reasons, timings and disk.
 */
@Command(name = "swegen", description = "Turn a repository's history into validated tasks and print the funnel.")
final class SwegenCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Parameters(index = "0", paramLabel = "PATH-OR-URL", description = "Repository: a local path or a git URL.")
  String repository;

  @Mixin
  RepositoryOptions options;

  @Option(names = "--timeout", description = "How long to wait for the selection (default: ${DEFAULT-VALUE}).")
  java.time.Duration timeout = java.time.Duration.ofMinutes(10);

  @Option(names = "--validation-timeout", description = "How long to wait for validation and tasks (default: ${DEFAULT-VALUE}).")
  java.time.Duration validationTimeout = java.time.Duration.ofMinutes(60);

  @Override
  public Integer call() throws Exception {
    final DemoCommand demo = new DemoCommand();
    demo.root = root;
    demo.repository = repository;
    demo.options = options;
    demo.timeout = timeout;
    demo.validationTimeout = validationTimeout;
    demo.listCandidates = Integer.MAX_VALUE;
    demo.rollouts = false;
    // A batch command: report and stop, no dashboard (the demo serves until Ctrl-C by default).
    demo.dashboard = false;
    demo.exit = true;
    return demo.call();
  }
}
