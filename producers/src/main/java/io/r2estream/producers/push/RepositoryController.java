package io.r2estream.producers.push;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import java.util.List;

/**
 * HTTP adapter of {@link PushIngestService}: register repositories, list them, and receive post-receive hook
 * notifications ({@code POST /api/repositories/{id}/push}). Errors are one-line JSON: 404 for an unknown
 * repository, 400 for a bad sha, ref or registration.
 */
@Controller("/api/repositories")
@Requires(beans = PushIngestService.class)
public class RepositoryController {

  private final PushIngestService service;

  public RepositoryController(final PushIngestService service) {
    this.service = service;
  }

  @Post
  public HttpResponse<RepositoryRegistration> register(@Body final RepositoryRegistration registration) {
    return HttpResponse.created(service.register(registration));
  }

  @Get
  public List<RepositoryRegistration> list() {
    return service.list();
  }

  @Post("/{id}/push")
  public PushResult push(@PathVariable final String id, @Body final PushRequest push) {
    return service.push(id, push);
  }

  @Error(exception = UnknownRepositoryException.class)
  public HttpResponse<ApiError> unknown(final HttpRequest<?> request, final UnknownRepositoryException e) {
    return HttpResponse.notFound(new ApiError(e.getMessage()));
  }

  @Error(exception = InvalidRequestException.class)
  public HttpResponse<ApiError> invalid(final HttpRequest<?> request, final InvalidRequestException e) {
    return HttpResponse.badRequest(new ApiError(e.getMessage()));
  }
}
