package io.r2estream.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.r2estream.embedded.registry.RegistryRecord.SchemaVersion;
import io.r2estream.registry.CompatibilityLevel;
import io.r2estream.registry.SchemaRegistryException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST API (the part serializers, Confluent's clients and tools use) over a
 * {@link KafkaSchemaStore}. Bodies are read and written as JSON text here so that the registry's own media types
 * need no codec; errors are Confluent's {@code {"error_code", "message"}}.
 */
@Controller
@Requires(beans = KafkaSchemaStore.class)
@ExecuteOn(TaskExecutors.BLOCKING) // writes wait for Kafka; keep them off the Netty event loop
@Consumes({SchemaRegistryController.MEDIA_TYPE, "application/vnd.schemaregistry+json", "application/json",
    "application/octet-stream"})
@Produces(SchemaRegistryController.MEDIA_TYPE)
public final class SchemaRegistryController {

  static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryController.class);

  private final KafkaSchemaStore store;

  public SchemaRegistryController(final KafkaSchemaStore store) {
    this.store = store;
  }

  @Get
  HttpResponse<String> root() {
    return ok(Map.of());
  }

  @Get("/subjects")
  HttpResponse<String> subjects() {
    return ok(store.state().subjects());
  }

  @Get("/subjects/{subject}/versions")
  HttpResponse<String> versions(final String subject) {
    return ok(store.state().live(subject).stream().map(SchemaVersion::version).toList());
  }

  @Get("/subjects/{subject}/versions/{version}")
  HttpResponse<String> version(final String subject, final String version) {
    return ok(describe(store.state().version(subject, version)));
  }

  @Get("/subjects/{subject}/versions/{version}/schema")
  HttpResponse<String> versionSchema(final String subject, final String version) {
    return json(HttpStatus.OK, store.state().version(subject, version).schema());
  }

  @Post("/subjects/{subject}/versions")
  HttpResponse<String> register(final String subject, @Nullable @Body final String body) {
    return ok(Map.of("id", store.register(subject, schemaOf(body))));
  }

  @Post("/subjects/{subject}")
  HttpResponse<String> lookup(final String subject, @Nullable @Body final String body) {
    final Schema schema = RegistryState.parse(schemaOf(body));
    return ok(describe(store.state().lookupOrFail(subject, schema)));
  }

  @Delete("/subjects/{subject}")
  HttpResponse<String> deleteSubject(final String subject) {
    return ok(store.deleteSubject(subject));
  }

  @Get("/schemas/ids/{id}")
  HttpResponse<String> schemaById(final int id) {
    return ok(Map.of("schema", store.state().schemaText(id)));
  }

  @Get("/schemas/ids/{id}/versions")
  HttpResponse<String> schemaUsages(final int id) {
    return ok(store.state().usages(id).stream()
        .map(v -> Map.of("subject", v.subject(), "version", v.version())).toList());
  }

  @Get("/schemas/types")
  HttpResponse<String> schemaTypes() {
    return ok(List.of("AVRO"));
  }

  @Get("/config")
  HttpResponse<String> globalConfig() {
    return ok(Map.of("compatibilityLevel", store.state().level(null).name()));
  }

  @Put("/config")
  HttpResponse<String> setGlobalConfig(@Nullable @Body final String body) {
    return setConfig(null, body);
  }

  @Get("/config/{subject}")
  HttpResponse<String> subjectConfig(final String subject, @QueryValue(defaultValue = "false") final boolean defaultToGlobal) {
    final CompatibilityLevel level = store.state().subjectLevel(subject)
        .or(() -> defaultToGlobal ? java.util.Optional.of(store.state().level(null)) : java.util.Optional.empty())
        .orElseThrow(() -> new SchemaRegistryException(404, 40408, "Subject '" + subject
            + "' does not have subject-level compatibility configured"));
    return ok(Map.of("compatibilityLevel", level.name()));
  }

  @Put("/config/{subject}")
  HttpResponse<String> setSubjectConfig(final String subject, @Nullable @Body final String body) {
    return setConfig(subject, body);
  }

  @Post("/compatibility/subjects/{subject}/versions/{version}")
  HttpResponse<String> compatibility(final String subject, final String version,
      @QueryValue(defaultValue = "false") final boolean verbose, @Nullable @Body final String body) {
    final List<String> problems = store.state().compatibilityProblems(subject,
        RegistryState.parse(schemaOf(body)), version);
    final Map<String, Object> answer = new LinkedHashMap<>(Map.of("is_compatible", problems.isEmpty()));
    if (verbose) {
      answer.put("messages", problems);
    }
    return ok(answer);
  }

  @Error(exception = SchemaRegistryException.class)
  HttpResponse<String> registryError(final SchemaRegistryException e) {
    final int status = e.httpStatus() > 0 ? e.httpStatus() : 500;
    final int code = e.errorCode() > 0 ? e.errorCode() : 50001;
    return json(HttpStatus.valueOf(status), toJson(Map.of("error_code", code, "message", String.valueOf(e.getMessage()))));
  }

  @Error(exception = RuntimeException.class)
  HttpResponse<String> unexpectedError(final RuntimeException e) {
    LOG.error("Schema registry request failed", e);
    return registryError(new SchemaRegistryException(500, 50001, "Error in the backend data store: " + e));
  }

  private HttpResponse<String> setConfig(final String subject, final String body) {
    final String name = body(body).path("compatibility").asText("");
    final CompatibilityLevel level;
    try {
      level = CompatibilityLevel.parse(name);
    } catch (IllegalArgumentException e) {
      throw new SchemaRegistryException(422, 42203, "Invalid compatibility level: " + e.getMessage());
    }
    store.setCompatibility(subject, level);
    return ok(Map.of("compatibility", level.name()));
  }

  /** The schema text of a registration body; only Avro is stored here. */
  private static String schemaOf(final String body) {
    final JsonNode json = body(body);
    final String type = json.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistryException(422, 42201, "Invalid schema: schemaType " + type + " is not supported, only AVRO");
    }
    if (!json.path("schema").isTextual()) {
      throw new SchemaRegistryException(422, 42201, "Invalid schema: the request has no \"schema\" string");
    }
    return json.get("schema").asText();
  }

  private static JsonNode body(final String body) {
    try {
      return RegistryRecord.JSON.readTree(body == null ? "{}" : body);
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryException(400, 400, "Malformed JSON request body: " + e.getOriginalMessage());
    }
  }

  private static Map<String, Object> describe(final SchemaVersion v) {
    return Map.of("subject", v.subject(), "version", v.version(), "id", v.id(), "schema", v.schema());
  }

  private static HttpResponse<String> ok(final Object body) {
    return json(HttpStatus.OK, toJson(body));
  }

  private static HttpResponse<String> json(final HttpStatus status, final String body) {
    return HttpResponse.<String>status(status).body(body).contentType(MEDIA_TYPE);
  }

  private static String toJson(final Object body) {
    try {
      return RegistryRecord.JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON answer: " + e.getMessage(), e);
    }
  }
}
