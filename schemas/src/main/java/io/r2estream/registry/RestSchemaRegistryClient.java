package io.r2estream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API (v1), so the same code talks to Confluent Schema Registry,
 * Redpanda, Karapace, Apicurio's ccompat API and our embedded server. Schemas by id and ids by (subject, schema)
 * are cached for the life of the client, as Confluent's CachedSchemaRegistryClient does: a serializer asks the
 * server once per schema, not once per record. With several comma-separated URLs, a request that cannot connect
 * moves on to the next one.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  /** Confluent's key for {@code user:password} basic-auth credentials; also read with the serde prefix. */
  public static final String BASIC_AUTH_USER_INFO_CONFIG = "basic.auth.user.info";
  /** Confluent's key for the connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS_CONFIG = "http.connect.timeout.ms";
  /** Confluent's key for the whole-request timeout in milliseconds. */
  public static final String READ_TIMEOUT_MS_CONFIG = "http.read.timeout.ms";
  public static final long TIMEOUT_MS_DEFAULT = 60_000;
  /** The registry's own media type, used for requests and accepted in answers. */
  public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final String PREFIX = "schema.registry.";
  private static final String ACCEPT = MEDIA_TYPE + ", application/vnd.schemaregistry+json; q=0.9, application/json; q=0.5";
  private static final Set<Integer> SUBJECT_OR_VERSION_MISSING = Set.of(40401, 40402);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final Optional<String> authorization;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final AtomicInteger current = new AtomicInteger();
  private final Map<Integer, Schema> schemaById = new ConcurrentHashMap<>();
  private final Map<SubjectAndSchema, Integer> idBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectAndSchema(String subject, Schema schema) {
  }

  /**
   * @param urls    one or more comma-separated {@code http(s)://} base URLs of the same registry
   * @param configs client or serde configuration; {@link #BASIC_AUTH_USER_INFO_CONFIG} and the timeouts are read,
   *                bare or with Confluent's {@code schema.registry.} prefix
   */
  public RestSchemaRegistryClient(final String urls, final Map<String, ?> configs) {
    this.baseUrls = Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty())
        .map(RestSchemaRegistryClient::baseUrl).toList();
    if (baseUrls.isEmpty()) {
      throw new IllegalArgumentException("no schema registry URL in '" + urls + "'");
    }
    this.authorization = setting(configs, BASIC_AUTH_USER_INFO_CONFIG).map(u -> "Basic "
        + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    this.requestTimeout = Duration.ofMillis(millis(configs, READ_TIMEOUT_MS_CONFIG));
    this.http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofMillis(millis(configs, CONNECT_TIMEOUT_MS_CONFIG)))
        .build();
  }

  @Override
  public int register(final String subject, final Schema schema) {
    final SubjectAndSchema key = new SubjectAndSchema(subject, schema);
    final Integer cached = idBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    final int id = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema)).get("id").asInt();
    remember(subject, schema, id);
    return id;
  }

  @Override
  public Schema getById(final int id) {
    return schemaById.computeIfAbsent(id, i -> {
      final JsonNode answer = send("GET", "/schemas/ids/" + i, null);
      final String type = answer.path("schemaType").asText("AVRO");
      if (!"AVRO".equals(type)) {
        throw new SchemaRegistryException(422, 42201, "schema " + i + " is of type " + type + ", not AVRO");
      }
      return new Schema.Parser().parse(answer.get("schema").asText());
    });
  }

  @Override
  public Optional<Integer> idOf(final String subject, final Schema schema) {
    final Integer cached = idBySubjectSchema.get(new SubjectAndSchema(subject, schema));
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      final int id = send("POST", "/subjects/" + encode(subject), schemaBody(schema)).get("id").asInt();
      remember(subject, schema, id);
      return Optional.of(id);
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401 || e.errorCode() == 40403) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Optional<SubjectSchema> latest(final String subject) {
    return fetchVersion(subject, "latest");
  }

  @Override
  public Optional<SubjectSchema> version(final String subject, final int version) {
    return fetchVersion(subject, Integer.toString(version));
  }

  @Override
  public boolean isCompatible(final String subject, final Schema schema) {
    try {
      return send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", schemaBody(schema))
          .get("is_compatible").asBoolean();
    } catch (SchemaRegistryException e) {
      // A subject without versions accepts any schema (older servers answer 404 rather than true).
      if (SUBJECT_OR_VERSION_MISSING.contains(e.errorCode())) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public List<String> subjects() {
    final List<String> out = new ArrayList<>();
    send("GET", "/subjects", null).forEach(s -> out.add(s.asText()));
    return out;
  }

  @Override
  public List<Integer> versions(final String subject) {
    try {
      final List<Integer> out = new ArrayList<>();
      send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(v -> out.add(v.asInt()));
      return out;
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401) {
        return List.of();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(final String subject, final CompatibilityLevel level) {
    final ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    send("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
  }

  /** The base URLs in the order they are tried. */
  public List<URI> baseUrls() {
    return baseUrls;
  }

  private Optional<SubjectSchema> fetchVersion(final String subject, final String version) {
    try {
      final JsonNode v = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null);
      final int id = v.get("id").asInt();
      final Schema schema = schemaById.computeIfAbsent(id, i -> new Schema.Parser().parse(v.get("schema").asText()));
      remember(subject, schema, id);
      return Optional.of(new SubjectSchema(subject, v.get("version").asInt(), id, schema));
    } catch (SchemaRegistryException e) {
      if (SUBJECT_OR_VERSION_MISSING.contains(e.errorCode())) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void remember(final String subject, final Schema schema, final int id) {
    idBySubjectSchema.put(new SubjectAndSchema(subject, schema), id);
    schemaById.putIfAbsent(id, schema);
  }

  /** Confluent's clients omit schemaType for Avro, the default; some older servers reject the field. */
  private static ObjectNode schemaBody(final Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  /** Sends one request, moving to the next base URL when a server cannot be reached. */
  private JsonNode send(final String method, final String path, final JsonNode body) {
    final HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    final int start = current.get();
    IOException last = null;
    for (int i = 0; i < baseUrls.size(); i++) {
      final int index = (start + i) % baseUrls.size();
      final URI uri = URI.create(baseUrls.get(index) + path);
      final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout)
          .header("Accept", ACCEPT).method(method, publisher);
      if (body != null) {
        request.header("Content-Type", MEDIA_TYPE);
      }
      authorization.ifPresent(a -> request.header("Authorization", a));
      final HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        last = e;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted while calling the schema registry at " + uri, e);
      }
      current.set(index);
      return answer(method, uri, response);
    }
    throw new SchemaRegistryException("cannot reach the schema registry at " + baseUrls + ": " + last, last);
  }

  private static JsonNode answer(final String method, final URI uri, final HttpResponse<String> response) {
    final int status = response.statusCode();
    JsonNode json = null;
    try {
      json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      // not JSON (a proxy's or servlet container's own error page); reported below with its text
    }
    if (status >= 200 && status < 300 && json != null) {
      return json;
    }
    if (json != null && json.has("error_code")) {
      throw new SchemaRegistryException(status, json.get("error_code").asInt(),
          json.path("message").asText("") + " (" + method + " " + uri + ")");
    }
    throw new SchemaRegistryException(status, status, "schema registry answered HTTP " + status + " to "
        + method + " " + uri + ": " + abbreviate(response.body()));
  }

  private static URI baseUrl(final String url) {
    final URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("schema registry URL '" + url + "' is not http(s)://host:port (put "
          + "credentials in '" + BASIC_AUTH_USER_INFO_CONFIG + "', not in the URL)");
    }
    return uri;
  }

  private static String encode(final String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static Optional<String> setting(final Map<String, ?> configs, final String key) {
    final Object v = configs.containsKey(key) ? configs.get(key) : configs.get(PREFIX + key);
    return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString());
  }

  private static long millis(final Map<String, ?> configs, final String key) {
    final String v = setting(configs, key).orElse(Long.toString(TIMEOUT_MS_DEFAULT));
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + key + "' must be a number of milliseconds, got '" + v + "'");
    }
  }

  private static String abbreviate(final String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
