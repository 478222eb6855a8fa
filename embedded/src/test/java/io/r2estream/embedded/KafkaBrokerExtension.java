package io.r2estream.embedded;

import io.r2estream.topics.TopicCreator;
import io.r2estream.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real embedded broker per test class, with every catalogue topic created:
 * {@code @RegisterExtension static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();}.
 * Tests that restart the broker on purpose manage an {@link EmbeddedKafkaBroker} themselves.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private Path dir;
  private EmbeddedKafkaBroker broker;

  @Override
  public void beforeAll(final ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("r2e-kafka-" + context.getRequiredTestClass().getSimpleName());
    broker = new EmbeddedKafkaBroker(dir, 0).start();
    try (Admin admin = admin()) {
      TopicCreator.ensure(admin, Topics.all(), (short) 1);
    }
  }

  @Override
  public void afterAll(final ExtensionContext context) {
    if (broker != null) {
      broker.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** An admin client on the broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }
}
