package io.r2estream.deploy.platform;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/** Tells operators and scripts what runs where. */
@Controller("/api/platform")
@Requires(beans = PlatformStatus.class)
final class PlatformController {

  private final PlatformStatus status;

  PlatformController(final PlatformStatus status) {
    this.status = status;
  }

  @Get
  Map<String, Object> status() {
    return Map.of("status", "up", "endpoints", status.endpoints());
  }
}
