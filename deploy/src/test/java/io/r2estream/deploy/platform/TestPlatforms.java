package io.r2estream.deploy.platform;

import io.r2estream.config.ConfigKeys;
import io.r2estream.embedded.Ports;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Platform configurations for tests: a data directory of the test's own and fixed ports that were free. */
public final class TestPlatforms {

  private TestPlatforms() {
  }

  /**
   * Every port is chosen now and written into the configuration, so a restart with the same configuration comes
   * back on the same addresses (clients keep working, like a user's `r2e up` after a reboot).
   *
   * @param extra further settings, winning over the defaults (e.g. {@code r2e.connect.enabled=false})
   */
  public static Map<String, Object> properties(final Path dataDir, final Map<String, Object> extra) {
    final Map<String, Object> p = new HashMap<>(Map.of(ConfigKeys.DATA_DIR, dataDir.toString(),
        ConfigKeys.KAFKA_EMBEDDED_PORT, Ports.free(),
        ConfigKeys.REGISTRY_EMBEDDED_PORT, Ports.free(),
        ConfigKeys.JDBC_EMBEDDED_PORT, Ports.free(),
        ConfigKeys.CONNECT_PORT, Ports.free(),
        ConfigKeys.HTTP_PORT, Ports.free(),
        // Any free port: several platforms may run in one test JVM, and 9404 may be taken on the machine.
        ConfigKeys.METRICS_PORT, 0));
    // Platform tests that are not about SWE-GEN validation run without Docker work; those that are enable it.
    p.put(io.r2estream.envbuilder.EnvBuilderConfig.ENABLED_CONFIG, false);
    p.putAll(extra);
    return p;
  }

  public static PlatformConfig config(final Path dataDir) {
    return PlatformConfig.load(properties(dataDir, Map.of()));
  }

  public static PlatformConfig config(final Path dataDir, final Map<String, Object> extra) {
    return PlatformConfig.load(properties(dataDir, extra));
  }
}
