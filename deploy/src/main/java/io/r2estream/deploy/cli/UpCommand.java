package io.r2estream.deploy.cli;

import io.r2estream.deploy.platform.EmbeddedPlatform;
import io.r2estream.deploy.platform.PlatformConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code r2e up}: runs the platform until Ctrl-C. */
@Command(name = "up", description = "Run the platform (embedded defaults for anything not configured) until Ctrl-C.")
final class UpCommand implements Callable<Integer> {

  @ParentCommand
  R2eCli root;

  @Override
  public Integer call() throws InterruptedException {
    final PlatformConfig config = root.config(Map.of());
    System.out.println("Starting R2E-Stream (data in " + config.dataDir() + ")");
    final EmbeddedPlatform platform = EmbeddedPlatform.start(config, System.out::println);
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stopping...");
      platform.close();
      stopped.countDown();
    }, "r2e-shutdown"));
    System.out.println("R2E-Stream is up. Ingest with: ./r2e ingest <path-or-url>   (Ctrl-C stops)");
    stopped.await();
    return 0;
  }
}
