package io.r2estream.dashboard.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.sse.Event;
import io.r2estream.dashboard.DashboardConfig;
import io.r2estream.dashboard.view.DashboardState;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * The dashboard's JSON API and its server-sent event stream, at the edge of {@link DashboardState}. Active only in
 * a context that holds a state (the dashboard's own), so the platform's other Micronaut contexts on the same
 * classpath do not serve it.
 */
@Controller("/api")
@Requires(beans = DashboardState.class)
public final class DashboardController {

  private final DashboardState state;
  private final Duration refresh;

  public DashboardController(final DashboardState state, final DashboardConfig config) {
    this.state = state;
    this.refresh = config.refresh();
  }

  @Get(value = "/overview", produces = MediaType.APPLICATION_JSON)
  String overview() {
    return state.overviewJson();
  }

  @Get(value = "/tasks", produces = MediaType.APPLICATION_JSON)
  String tasks() {
    return state.tasksJson();
  }

  @Get(value = "/tasks/{taskId}", produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> task(final String taskId) {
    return found(state.taskJson(taskId), "task", taskId);
  }

  @Get(value = "/rankings", produces = MediaType.APPLICATION_JSON)
  String rankings() {
    return state.rankingsJson();
  }

  @Get(value = "/trajectories", produces = MediaType.APPLICATION_JSON)
  String trajectories() {
    return state.trajectoriesJson();
  }

  /** Rollout ids contain slashes (task/run/sample), hence a query parameter rather than a path segment. */
  @Get(value = "/trajectory{?id}", produces = MediaType.APPLICATION_JSON)
  HttpResponse<String> trajectory(@Nullable final String id) {
    return found(id == null ? null : state.trajectoryJson(id), "trajectory", id);
  }

  /**
   * The overview whenever it changed, checked every refresh interval (first event at once): every page listens
   * to it and re-reads what it shows.
   */
  @Get(value = "/events")
  @Produces(MediaType.TEXT_EVENT_STREAM)
  Publisher<Event<String>> events() {
    return Flux.interval(Duration.ZERO, refresh)
        .map(tick -> state.version())
        .distinctUntilChanged()
        .map(version -> Event.of(state.overviewJson()).name("overview").id(String.valueOf(version)));
  }

  private static HttpResponse<String> found(final String json, final String what, final String id) {
    if (json == null) {
      return HttpResponse.<String>notFound().contentType(MediaType.APPLICATION_JSON_TYPE)
          .body("{\"error\":\"no " + what + " '" + String.valueOf(id).replace("\"", "'") + "' in memory\"}");
    }
    return HttpResponse.ok(json).contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
