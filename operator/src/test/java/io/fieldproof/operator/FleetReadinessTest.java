package io.fieldproof.operator;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readiness follows the fleet connection: an operator cut off from its broker is not ready, and is
 * again once its session is back, without a restart. Liveness stays up throughout.
 */
@QuarkusTest
@QuarkusTestResource(FleetTestResource.class)
class FleetReadinessTest {

  @Test
  void readinessGoesDownWithTheBrokerAndComesBackWithIt() {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));

    FleetTestResource.broker().kill();
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  given()
                      .get("/q/health/ready")
                      .then()
                      .statusCode(503)
                      .body(containsString("fleet-mqtt")));
      given().get("/q/health/live").then().statusCode(200);
    } finally {
      FleetTestResource.broker().startAgain();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
  }
}
