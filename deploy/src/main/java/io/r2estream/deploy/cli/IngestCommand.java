package io.r2estream.deploy.cli;

import io.r2estream.deploy.platform.PlatformConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code r2e ingest}: publishes a repository's history to the running platform (or a configured cluster). */
@Command(name = "ingest", description = "Publish the commits of a git repository (path or URL) to r2e.commits.")
final class IngestCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Parameters(index = "0", paramLabel = "PATH-OR-URL", description = "Local repository or git URL.")
  String repository;

  @Mixin
  RepositoryOptions options;

  @Override
  public Integer call() {
    final PlatformConfig config = root.config(Map.of());
    final Map<String, Object> bootstrap = config.kafkaClient();
    try (TopicStats probe = TopicStats.connect(bootstrap)) {
      // fails with one clear line when nothing is running
    }
    final IngestRun.Result r = IngestRun.run(options.source(repository, config.dataDir().resolve("clones")),
        options.range(), bootstrap, config.effectiveRegistryUrl());
    IngestRun.print(r.report());
    return 0;
  }
}
