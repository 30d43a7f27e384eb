package io.fieldproof.operator.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Serves the fleet page: GET /fleet (one HTML file with its CSS and script inline, nothing fetched
 * from elsewhere) and GET /fleet/api/summary[?namespace=ns], the JSON it polls.
 */
@Singleton
public class FleetRoutes {

  private static final String PAGE = "fleet/index.html";

  private final FleetSummaryBuilder summaries;
  private final ObjectMapper json;
  private final Buffer page;

  public FleetRoutes(FleetSummaryBuilder summaries, ObjectMapper json) {
    this.summaries = summaries;
    this.json = json;
    this.page = Buffer.buffer(read(PAGE));
  }

  void register(@Observes Router router) {
    router.get("/fleet").handler(this::page);
    router.get("/fleet/").handler(this::page);
    router.get("/fleet/api/summary").blockingHandler(this::summary);
  }

  private void page(RoutingContext context) {
    context
        .response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(page);
  }

  private void summary(RoutingContext context) {
    Optional<String> namespace =
        Optional.ofNullable(context.request().getParam("namespace")).filter(s -> !s.isBlank());
    try {
      byte[] body = json.writeValueAsBytes(summaries.build(namespace));
      context
          .response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(Buffer.buffer(body));
    } catch (JsonProcessingException e) {
      context.fail(e);
    }
  }

  private static byte[] read(String resource) {
    try (InputStream in = FleetRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the operator's resources");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
