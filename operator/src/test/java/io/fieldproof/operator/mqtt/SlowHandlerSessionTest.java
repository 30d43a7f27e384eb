package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.operator.TestMqttSettings;
import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session whose handler is slow under a flood stays up: the handler runs on the session's own
 * thread, so Paho keeps reading the broker's packets (PINGRESP among them) while it works. Here the
 * handler holds the first of 200 messages for three keep-alive intervals; before, Paho's reader
 * stopped behind its callback and the session was dropped as dead. Every message then arrives, none
 * is lost, and each topic's messages come in the order they were sent (MQTT orders a topic, not
 * messages across topics).
 */
class SlowHandlerSessionTest {

  private static final int MESSAGES = 200;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final MosquittoBroker broker = MosquittoBroker.start();
  private final AtomicInteger losses = new AtomicInteger();
  private MqttSession receiver;
  private MqttSession sender;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.close();
    }
    if (sender != null) {
      sender.close();
    }
    broker.close();
    scheduler.shutdownNow();
  }

  @Test
  void aHandlerSlowerThanTheKeepAliveDoesNotDropTheSession() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<String> handled = new CopyOnWriteArrayList<>();
    List<String> topics = new CopyOnWriteArrayList<>();
    receiver =
        new MqttSession(
            settings("slow-receiver", Duration.ofSeconds(2)),
            null,
            new io.fieldproof.protocol.mqtt.SessionListener() {
              @Override
              public void connected(boolean reconnect) {}

              @Override
              public void connectionLost(Throwable cause) {
                losses.incrementAndGet();
              }
            },
            scheduler);
    receiver.subscribe(
        "flood/+",
        (topic, payload) -> {
          if (handled.isEmpty()) {
            awaitQuietly(release, Duration.ofSeconds(6));
          }
          topics.add(topic);
          handled.add(new String(payload, StandardCharsets.UTF_8));
        });
    receiver.start();
    sender = new MqttSession(settings("flooder", Duration.ofSeconds(30)), null, r -> {}, scheduler);
    sender.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receiver.isConnected() && sender.isConnected());

    for (int i = 0; i < MESSAGES; i++) {
      sender.publish(
          "flood/" + (i % 7), Integer.toString(i).getBytes(StandardCharsets.UTF_8), false);
    }
    await()
        .during(Duration.ofSeconds(6))
        .atMost(Duration.ofSeconds(8))
        .until(() -> receiver.isConnected() && losses.get() == 0);
    release.countDown();

    await().atMost(Duration.ofSeconds(20)).until(() -> handled.size() == MESSAGES);
    assertThat(handled)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, MESSAGES).mapToObj(Integer::toString).toList());
    for (int t = 0; t < 7; t++) {
      int topic = t;
      List<String> received =
          IntStream.range(0, handled.size())
              .filter(i -> topics.get(i).equals("flood/" + topic))
              .mapToObj(handled::get)
              .toList();
      assertThat(received)
          .as("flood/" + topic + " in the order sent")
          .containsExactlyElementsOf(
              IntStream.range(0, MESSAGES)
                  .filter(i -> i % 7 == topic)
                  .mapToObj(Integer::toString)
                  .toList());
    }
    assertThat(losses).hasValue(0);
  }

  private static void awaitQuietly(CountDownLatch latch, Duration atMost) {
    try {
      latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private MqttSettings settings(String clientId, Duration keepAlive) {
    return TestMqttSettings.anonymous(broker.uri(), clientId, keepAlive);
  }
}
