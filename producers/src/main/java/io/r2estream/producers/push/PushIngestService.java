package io.r2estream.producers.push;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import io.micronaut.json.JsonMapper;
import io.r2estream.config.KafkaClientConfig;
import io.r2estream.producers.commits.CommitPublisher;
import io.r2estream.producers.commits.CommitRange;
import io.r2estream.producers.commits.CommitScanner;
import io.r2estream.producers.commits.EventSource;
import io.r2estream.producers.commits.IngestProgress;
import io.r2estream.producers.commits.IngestReport;
import io.r2estream.producers.commits.RepositoryIngestor;
import io.r2estream.producers.commits.RepositorySource;
import io.r2estream.producers.commits.ScanLimits;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;

/**
 * Push-style ingestion: keeps the registered repositories and turns a post-receive notification
 * ({@code before after ref}) into the commit events of exactly the pushed commits (source "push").
 */
@Singleton
@Requires(property = IngestSettings.BOOTSTRAP_SERVERS)
@Requires(property = IngestSettings.REGISTRY_URL)
public class PushIngestService implements AutoCloseable {

  private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
  private static final String BRANCH_PREFIX = "refs/heads/";

  private final RepositoryStore store;
  private final Path clonesDir;
  private final CommitPublisher publisher;
  private final RepositoryIngestor ingestor;

  public PushIngestService(@Value("${" + IngestSettings.BOOTSTRAP_SERVERS + "}") final String bootstrapServers,
      @Value("${" + IngestSettings.REGISTRY_URL + "}") final String registryUrl,
      @Value("${" + IngestSettings.STATE_DIR + ":}") final String stateDir, final JsonMapper json,
      final Environment environment) {
    final Path state = stateDir.isBlank()
        ? Path.of(System.getProperty("user.home"), ".r2e", "ingest") : Path.of(stateDir);
    this.store = new RepositoryStore(state.resolve(IngestSettings.REPOSITORIES_FILE), json);
    this.clonesDir = state.resolve(IngestSettings.CLONES_DIR);
    final Map<String, Object> platform = new HashMap<>();
    environment.getProperties(IngestSettings.KAFKA_CLIENT, StringConvention.RAW)
        .forEach((k, v) -> platform.put(IngestSettings.KAFKA_CLIENT + "." + k, v));
    this.publisher = new CommitPublisher(CommitPublisher.config(KafkaClientConfig.of(bootstrapServers, platform),
        registryUrl));
    this.ingestor = new RepositoryIngestor(publisher);
  }

  /** Registers (or replaces) a repository; the id defaults to the one derived from the path or URL. */
  public RepositoryRegistration register(final RepositoryRegistration request) {
    final boolean hasPath = request.path() != null && !request.path().isBlank();
    final boolean hasUrl = request.url() != null && !request.url().isBlank();
    if (hasPath == hasUrl) {
      throw new InvalidRequestException("give exactly one of 'path' and 'url', got path=" + request.path()
          + " url=" + request.url());
    }
    if (request.branch() != null && (request.branch().isBlank() || request.branch().startsWith(BRANCH_PREFIX))) {
      throw new InvalidRequestException("branch must be a short branch name like 'main', got '"
          + request.branch() + "'");
    }
    RepositorySource source = hasPath ? RepositorySource.local(Path.of(request.path()))
        : RepositorySource.remote(request.url(), clonesDir);
    if (request.id() != null && !request.id().isBlank()) {
      source = source.withId(request.id());
    }
    if (hasPath) {
      if (!Files.isDirectory(Path.of(request.path()))) {
        throw new InvalidRequestException("path '" + request.path() + "' is not a directory");
      }
      try (Repository repo = source.open()) {
        repo.getObjectDatabase();
      } catch (IOException e) {
        throw new InvalidRequestException("path '" + request.path() + "' is not a git repository", e);
      }
    }
    final RepositoryRegistration stored = new RepositoryRegistration(source.id(),
        hasPath ? Path.of(request.path()).toAbsolutePath().normalize().toString() : null,
        hasUrl ? request.url() : null, request.branch());
    store.put(stored);
    return stored;
  }

  public List<RepositoryRegistration> list() {
    return store.all();
  }

  /**
   * Publishes the commits reachable from {@code after} but not from {@code before}.
   *
   * @throws UnknownRepositoryException when no repository has this id
   * @throws InvalidRequestException    on a malformed sha or ref, or a sha the repository does not have
   */
  public PushResult push(final String id, final PushRequest push) {
    final RepositoryRegistration repo = store.get(id).orElseThrow(() -> new UnknownRepositoryException(id));
    final String before = sha("before", push.before());
    final String after = sha("after", push.after());
    final String ref = push.ref();
    if (ref == null || !ref.startsWith(BRANCH_PREFIX)) {
      throw new InvalidRequestException("ref must be a branch like refs/heads/main, got '" + ref + "'");
    }
    if (CommitRange.ZERO_SHA.equals(after)) {
      return ignored(repo, ref, "branch deleted");
    }
    if (repo.branch() != null && !ref.equals(BRANCH_PREFIX + repo.branch())) {
      return ignored(repo, ref, "only pushes to " + BRANCH_PREFIX + repo.branch() + " are ingested");
    }
    final RepositorySource source = (repo.path() != null ? RepositorySource.local(Path.of(repo.path()))
        : RepositorySource.remote(repo.url(), clonesDir)).withId(repo.id());
    try (CommitScanner scanner = CommitScanner.open(source, ScanLimits.defaults())) {
      final IngestReport report = ingestor.ingest(scanner, CommitRange.push(before, after), EventSource.PUSH,
          IngestProgress.NONE);
      return new PushResult(repo.id(), ref, report.published(), report.stats().mergesSkipped(),
          report.stats().errors().stream().map(e -> e.sha() + ": " + e.reason()).toList(), null);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open repository " + repo.id() + ": " + e.getMessage(), e);
    }
  }

  private static PushResult ignored(final RepositoryRegistration repo, final String ref, final String why) {
    return new PushResult(repo.id(), ref, 0, 0, List.of(), why);
  }

  private static String sha(final String field, final String value) {
    if (value == null || !SHA.matcher(value).matches()) {
      throw new InvalidRequestException("'" + field + "' must be a 40-character lowercase hex sha, got '"
          + value + "'");
    }
    return value;
  }

  @PreDestroy
  @Override
  public void close() {
    publisher.close();
  }
}
