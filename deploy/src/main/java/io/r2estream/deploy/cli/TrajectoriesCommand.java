package io.r2estream.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.r2estream.agent.AgentPrompts;
import io.r2estream.avro.Trajectory;
import io.r2estream.deploy.platform.PlatformConfig;
import io.r2estream.producers.tasks.TaskTopicReader;
import io.r2estream.rollout.TrajectoryRows;
import io.r2estream.topics.Topics;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code r2e trajectories export}: finished rollouts as R2E-Gym trajectory JSONL or SFT chat JSONL. */
@Command(name = "trajectories", description = "Export the trajectories on r2e.trajectories.",
    subcommands = TrajectoriesCommand.Export.class)
final class TrajectoriesCommand {

  @ParentCommand
  R2eCli root;

  @Command(name = "export", description = "Write one JSON line per trajectory (the latest of each rollout id).")
  static final class Export implements Callable<Integer> {

    @ParentCommand
    TrajectoriesCommand parent;

    @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file to write.")
    Path file;

    @Option(names = "--format", description = "r2egym (trajectory rows) or sft (chat messages for fine-tuning); "
        + "default: ${DEFAULT-VALUE}.")
    String format = "r2egym";

    @Option(names = "--tasks", description = "Regular expression a task id must contain (default: all).")
    String tasks = "";

    @Option(names = "--only-resolved", description = "Only trajectories whose reward is 1 (the usual SFT filter).")
    boolean onlyResolved;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("r2egym") && !format.equals("sft")) {
        System.err.println("--format must be r2egym or sft, got '" + format + "'");
        return 2;
      }
      final PlatformConfig config = parent.root.config(Map.of());
      final Map<String, Object> bootstrap = config.kafkaClient();
      try (TopicStats probe = TopicStats.connect(bootstrap)) {
        // fails with a clear message when no platform runs
      }
      final Pattern filter = Pattern.compile(tasks);
      final List<Trajectory> rows = TaskTopicReader.latest(bootstrap, config.effectiveRegistryUrl(),
              Topics.TRAJECTORIES, r -> r.value().getRolloutId()).values().stream()
          .filter(t -> filter.matcher(t.getTaskId()).find())
          .filter(t -> !onlyResolved || (t.getReward() != null && t.getReward() == 1.0)).toList();
      final ObjectMapper json = new ObjectMapper();
      final AgentPrompts prompts = AgentPrompts.textMode();
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (final Trajectory t : rows) {
          out.write(json.writeValueAsString(format.equals("sft") ? TrajectoryRows.sft(t, prompts)
              : TrajectoryRows.r2eGym(t)));
          out.newLine();
        }
      }
      System.out.println("Wrote " + rows.size() + " trajectories to " + file + " (" + format + ")");
      return 0;
    }
  }
}
