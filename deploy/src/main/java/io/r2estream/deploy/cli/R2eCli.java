package io.r2estream.deploy.cli;

import io.r2estream.deploy.platform.PlatformConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Entry point of {@code ./r2e}. Errors print as one line; {@code --verbose} adds the stack trace. */
@Command(name = "r2e", mixinStandardHelpOptions = true, version = "R2E-Stream 0.1.0",
    description = "Turns git commits into executable SWE tasks on Kafka.",
    subcommands = {UpCommand.class, IngestCommand.class, TopicsCommand.class, TasksCommand.class, DemoCommand.class,
        SwegenCommand.class, RolloutCommand.class,
        TrajectoriesCommand.class, RankingsCommand.class, EvalCommand.class, ConnectorsCommand.class})
public final class R2eCli {

  @Option(names = "--data-dir", description = "Directory of all embedded state (default: .r2e/data).")
  Path dataDir;

  @Option(names = {"-D", "--set"}, description = "Configuration override key=value (repeatable), e.g. "
      + "-D r2e.kafka.bootstrap-servers=broker:9092")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  /** The effective configuration: files and environment, then these options. */
  PlatformConfig config(final Map<String, Object> extra) {
    final Map<String, Object> all = new LinkedHashMap<>(overrides);
    if (dataDir != null) {
      all.put(io.r2estream.config.ConfigKeys.DATA_DIR, dataDir.toAbsolutePath().toString());
    }
    all.putAll(extra);
    return PlatformConfig.load(all);
  }

  public static void main(final String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code (tests call this). */
  public static int run(final String... args) {
    final R2eCli root = new R2eCli();
    final CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + oneLine(e));
      if (root.verbose) {
        e.printStackTrace(cmd.getErr());
      } else {
        cmd.getErr().println("(run with --verbose for details)");
      }
      return 1;
    });
    return cli.execute(args);
  }

  /** The most useful single sentence of an exception chain: the deepest message that says something. */
  static String oneLine(final Throwable e) {
    String msg = e.getMessage();
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
      if (t.getMessage() != null && (msg == null || msg.isBlank())) {
        msg = t.getMessage();
      }
    }
    return msg == null ? e.getClass().getSimpleName() : msg.replace('\n', ' ');
  }
}
