package io.fieldproof.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The MQTT session the agent runs on: its reconnect loop and its paced publishing. */
class MqttSessionTest {

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void anAttemptTheBrokerNeverAnswersIsAbandonedAndTheSessionComesUpLater() throws IOException {
    try (MosquittoBroker broker = MosquittoBroker.start();
        TcpProxy proxy = TcpProxy.start(broker.port())) {
      proxy.swallow();
      AtomicInteger connects = new AtomicInteger();
      MqttSession session =
          new MqttSession(settings(proxy.uri()), null, r -> connects.incrementAndGet(), scheduler);
      try {
        session.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.accepted() == 1);
        proxy.release();

        await().atMost(Duration.ofSeconds(30)).until(() -> connects.get() == 1);

        assertThat(session.isConnected()).isTrue();
        assertThat(proxy.accepted()).isEqualTo(2);
      } finally {
        session.close();
      }
    }
  }

  /**
   * The fault run's finding: while the broker restarts, attempts whose connection is accepted and
   * closed before the CONNACK fail at once, and Paho never marks a failed connect token complete.
   * The old per-attempt deadline judged by that token, so ten seconds later it cut the connection a
   * later attempt had made, and since its attempt was settled nothing retried.
   */
  @Test
  void attemptsClosedWhileTheBrokerRestartsDoNotCutTheConnectionMadeAfterThem() throws IOException {
    try (MosquittoBroker broker = MosquittoBroker.start();
        TcpProxy proxy = TcpProxy.start(broker.port())) {
      proxy.hold();
      AtomicInteger connects = new AtomicInteger();
      MqttSession session =
          new MqttSession(settings(proxy.uri()), null, r -> connects.incrementAndGet(), scheduler);
      try {
        session.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.accepted() >= 3);
        proxy.release();
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() == 1);

        await()
            .during(Duration.ofSeconds(13))
            .atMost(Duration.ofSeconds(15))
            .until(session::isConnected);
        assertThat(connects.get()).isEqualTo(1);
      } finally {
        session.close();
      }
    }
  }

  @Test
  void aSessionComesBackAfterEveryBrokerKillAndStaysUp() throws IOException {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      AtomicInteger connects = new AtomicInteger();
      MqttSession session =
          new MqttSession(settings(broker.uri()), null, r -> connects.incrementAndGet(), scheduler);
      try {
        session.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() == 1);
        for (int restart = 1; restart <= 3; restart++) {
          int expected = restart + 1;
          broker.kill();
          await().atMost(Duration.ofSeconds(5)).until(() -> !session.isConnected());
          broker.startAgain();
          await().atMost(Duration.ofSeconds(10)).until(() -> connects.get() == expected);
        }

        await()
            .during(Duration.ofSeconds(12))
            .atMost(Duration.ofSeconds(14))
            .until(session::isConnected);
        assertThat(connects.get()).isEqualTo(4);
      } finally {
        session.close();
      }
    }
  }

  @Test
  void publishesFromManyThreadsAtOnceAreAllAcknowledged() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      AtomicInteger connects = new AtomicInteger();
      MqttSession session =
          new MqttSession(settings(broker.uri()), null, r -> connects.incrementAndGet(), scheduler);
      ExecutorService publishers = Executors.newFixedThreadPool(8);
      try {
        session.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> connects.get() == 1);
        List<Future<List<CompletableFuture<Void>>>> batches = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
          int t = thread;
          batches.add(
              publishers.submit(
                  () ->
                      IntStream.range(0, 500)
                          .mapToObj(
                              i ->
                                  session.publish(
                                      "stress/" + t,
                                      ("m" + i).getBytes(StandardCharsets.UTF_8),
                                      false))
                          .toList()));
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Future<List<CompletableFuture<Void>>> batch : batches) {
          all.addAll(batch.get(30, TimeUnit.SECONDS));
        }

        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        assertThat(all).hasSize(4000).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
      } finally {
        publishers.shutdownNow();
        session.close();
      }
    }
  }

  private static MqttSettings settings(String uri) {
    return new MqttSettings(
        uri,
        "reconnect-test-" + System.nanoTime(),
        null,
        null,
        null,
        true,
        true,
        Duration.ZERO,
        Duration.ofSeconds(30),
        Duration.ofMillis(50),
        Duration.ofMillis(200),
        null);
  }
}
