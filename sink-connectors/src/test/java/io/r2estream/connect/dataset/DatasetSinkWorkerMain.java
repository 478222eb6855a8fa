package io.r2estream.connect.dataset;

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

  public static void main(final String[] args) throws InterruptedException {
    final Map<String, String> connector = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      final int eq = args[i].indexOf('=');
      connector.put(args[i].substring(0, eq), args[i].substring(eq + 1));
    }
    final ConnectWorker worker = ConnectWorker.start(ConnectWorker.workerProps(args[0], Path.of(args[1]),
        Long.parseLong(args[2])));
    worker.putConnector(args[3], connector);
    System.out.println(READY);
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
