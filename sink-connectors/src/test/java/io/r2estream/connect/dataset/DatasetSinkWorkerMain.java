package io.r2estream.connect.dataset;

import io.r2estream.embedded.EmbeddedConnectWorker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A Connect standalone worker running the dataset sink in a process of its own, so that a test can kill it with
 * SIGKILL: no close(), no final offset commit, rows left in a temp file.
 * Arguments: bootstrap servers, state directory, offset flush interval (ms), connector name, then connector
 * {@code key=value} pairs. Prints {@link #READY} once the connector is accepted.
 */
public final class DatasetSinkWorkerMain {

  static final String READY = "DATASET-SINK-WORKER-READY";

  private DatasetSinkWorkerMain() {
  }

  /**
   * The platform's worker properties on any free REST port, with the test's offset flush interval and a short
   * consumer session: a worker killed without leaving its group holds the partitions until its session times out.
   *
   * @param offsetFlushMs how often the worker asks the task for committable offsets
   */
  static Map<String, String> workerProps(final String bootstrap, final Path stateDir, final long offsetFlushMs) {
    final Map<String, String> w = EmbeddedConnectWorker.workerProps(Map.of("bootstrap.servers", bootstrap),
        stateDir, 0);
    w.put("offset.flush.interval.ms", Long.toString(offsetFlushMs));
    w.put("consumer.session.timeout.ms", "6000");
    w.put("consumer.heartbeat.interval.ms", "1000");
    return w;
  }

  public static void main(final String[] args) throws InterruptedException {
    final Map<String, String> connector = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      final int eq = args[i].indexOf('=');
      connector.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    final EmbeddedConnectWorker worker = EmbeddedConnectWorker.start(workerProps(args[0], Path.of(args[1]),
        Long.parseLong(args[2])));
    worker.putConnector(args[3], connector);
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
