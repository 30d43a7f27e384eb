package io.fieldproof.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Maximum Packet Size in CONNECT: a real Mosquitto sends no larger packet to the client. */
class MaximumPacketSizeTest {

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void theBrokerWithholdsPacketsAboveTheClientsMaximum() throws Exception {
    try (MosquittoBroker broker = MosquittoBroker.start()) {
      List<Integer> received = new CopyOnWriteArrayList<>();
      try (MqttSession small = session(broker, "small", 2048);
          MqttSession sender =
              session(broker, "sender", MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE)) {
        small.subscribe("size/test", (topic, payload) -> received.add(payload.length));
        small.start();
        sender.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> small.isConnected() && sender.isConnected());
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  sender.publish("size/test", new byte[100], false).get();
                  assertThat(received).contains(100);
                });

        sender.publish("size/test", new byte[4096], false).get();
        sender.publish("size/test", new byte[101], false).get();

        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(101));
        assertThat(received).doesNotContain(4096);
      }
    }
  }

  private MqttSession session(MosquittoBroker broker, String id, int maximumPacketSize)
      throws IOException {
    return new MqttSession(
        new MqttSettings(
            broker.uri(),
            "packet-size-" + id + "-" + System.nanoTime(),
            null,
            null,
            null,
            null,
            null,
            true,
            true,
            Duration.ZERO,
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            null,
            maximumPacketSize),
        null,
        r -> {},
        scheduler);
  }
}
