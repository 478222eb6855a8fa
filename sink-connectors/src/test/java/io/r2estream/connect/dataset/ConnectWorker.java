package io.r2estream.connect.dataset;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * A real Kafka Connect standalone worker in this JVM (the deploy module's EmbeddedConnectWorker does the same for
 * the platform; deploy depends on this module, so the tests cannot use it).
 */
final class ConnectWorker implements AutoCloseable {

  private final Connect<StandaloneHerder> connect;

  private ConnectWorker(final Connect<StandaloneHerder> connect) {
    this.connect = connect;
  }

  /**
   * @param offsetFlushMs how often the worker asks the task for committable offsets
   */
  static Map<String, String> workerProps(final String bootstrap, final Path stateDir, final long offsetFlushMs) {
    final Map<String, String> w = new HashMap<>();
    w.put("bootstrap.servers", bootstrap);
    w.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    w.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    w.put("offset.storage.file.filename", stateDir.resolve("connect.offsets").toString());
    w.put("offset.flush.interval.ms", Long.toString(offsetFlushMs));
    w.put("listeners", "http://127.0.0.1:0");
    w.put("plugin.discovery", "service_load");
    // A worker killed without leaving its group holds the partitions until its session times out: keep that short.
    w.put("consumer.session.timeout.ms", "6000");
    w.put("consumer.heartbeat.interval.ms", "1000");
    return w;
  }

  static ConnectWorker start(final Map<String, String> workerProps) {
    return new ConnectWorker(new ConnectStandalone().startConnect(workerProps));
  }

  void putConnector(final String name, final Map<String, String> config) {
    final Map<String, String> c = new HashMap<>(config);
    c.put("name", name);
    final FutureCallback<Herder.Created<ConnectorInfo>> cb = new FutureCallback<>();
    connect.herder().putConnectorConfig(name, c, true, cb);
    try {
      cb.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("connector " + name + " was not accepted: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
