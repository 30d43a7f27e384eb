package io.fieldproof.operator.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fieldproof.operator.observe.FleetAccess.Caller;
import io.fieldproof.operator.observe.FleetPageConfig.Auth;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Serves the fleet page: GET /fleet (one HTML file with its CSS and script inline, nothing fetched
 * from elsewhere) and GET /fleet/api/summary[?namespace=ns], the JSON it polls.
 *
 * <p>The page itself holds no data and is served to anyone, with a Content-Security-Policy that
 * lets only its own script run. The summary, with fieldproof.fleet-page.auth=kubernetes (the
 * default), needs {@code Authorization: Bearer <token>}: no token or one the API server refuses
 * gets 401, a token whose user may list DeviceGroups in no namespace gets 200 with an empty
 * summary, and the summary holds only the namespaces where it may ({@link FleetAccess}).
 */
@Singleton
public class FleetRoutes {

  private static final Logger LOG = Logger.getLogger(FleetRoutes.class);

  private static final String PAGE = "fleet/index.html";
  private static final Pattern INLINE_SCRIPT =
      Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private final FleetSummaryBuilder summaries;
  private final ScopedSummaryBuilder scoped;
  private final FleetAccess access;
  private final FleetPageConfig config;
  private final ObjectMapper json;
  private final Buffer page;
  private final String contentSecurityPolicy;

  public FleetRoutes(
      FleetSummaryBuilder summaries,
      ScopedSummaryBuilder scoped,
      FleetAccess access,
      FleetPageConfig config,
      ObjectMapper json) {
    this.summaries = summaries;
    this.scoped = scoped;
    this.access = access;
    this.config = config;
    this.json = json;
    byte[] html = read(PAGE);
    this.page = Buffer.buffer(html);
    this.contentSecurityPolicy = contentSecurityPolicy(new String(html, StandardCharsets.UTF_8));
  }

  void register(@Observes Router router) {
    if (config.auth() == Auth.NONE) {
      LOG.warn(
          "fieldproof.fleet-page.auth=none: /fleet/api/summary shows every namespace to anyone"
              + " who reaches the HTTP port; use it for local development only");
    } else {
      LOG.info(
          "the fleet page's summary needs a bearer token the API server accepts"
              + " (TokenReview) and shows the namespaces where its user may list DeviceGroups");
    }
    router.get("/fleet").handler(this::page);
    router.get("/fleet/").handler(this::page);
    router.get("/fleet/api/summary").blockingHandler(this::summary);
  }

  private void page(RoutingContext context) {
    context
        .response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(page);
  }

  private void summary(RoutingContext context) {
    Optional<String> namespace =
        Optional.ofNullable(context.request().getParam("namespace")).filter(s -> !s.isBlank());
    FleetSummary summary;
    if (config.auth() == Auth.NONE) {
      summary = summaries.build(namespace);
    } else {
      try {
        Optional<Caller> caller = access.authenticate(context.request().getHeader("Authorization"));
        if (caller.isEmpty()) {
          context
              .response()
              .setStatusCode(401)
              .putHeader("WWW-Authenticate", "Bearer realm=\"fieldproof\"")
              .putHeader("Cache-Control", "no-store")
              .putHeader("Content-Type", "text/plain; charset=utf-8")
              .end("a bearer token the Kubernetes API server accepts is required\n");
          return;
        }
        summary = scoped.build(namespace, ns -> access.mayRead(caller.get(), ns));
      } catch (FleetAccess.ReviewFailed e) {
        LOG.warnf("fleet page: %s", e.getMessage());
        context
            .response()
            .setStatusCode(503)
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Type", "text/plain; charset=utf-8")
            .end("the Kubernetes API server could not check the token; try again\n");
        return;
      }
    }
    try {
      byte[] body = json.writeValueAsBytes(summary);
      context
          .response()
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .putHeader("X-Content-Type-Options", "nosniff")
          .end(Buffer.buffer(body));
    } catch (JsonProcessingException e) {
      context.fail(e);
    }
  }

  /**
   * Only the page's own inline script (by its SHA-256), its inline styles and requests to the
   * operator itself: a string that ever reached the DOM as markup could not run a script.
   */
  static String contentSecurityPolicy(String html) {
    Matcher script = INLINE_SCRIPT.matcher(html);
    if (!script.find()) {
      throw new IllegalStateException(PAGE + " has no inline script");
    }
    String hash;
    try {
      hash =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-256")
                      .digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return "default-src 'none'; script-src 'sha256-"
        + hash
        + "'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self';"
        + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
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
