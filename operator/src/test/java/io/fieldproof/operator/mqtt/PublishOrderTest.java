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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A session hands its publishes to the broker in the order they were made, however many wait for an
 * in-flight slot: the caller's thread and the scheduler (after each acknowledgement) both send, and
 * a swap between them would leave the broker retaining the older of two states of one topic.
 */
class PublishOrderTest {

  private static final int MESSAGES = 3000;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private final MosquittoBroker broker = MosquittoBroker.start();
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
  void aTopicsMessagesArriveInTheOrderTheyWerePublished() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    receiver = new MqttSession(settings("order-receiver"), null, r -> {}, scheduler);
    receiver.subscribe(
        "state/device",
        (topic, payload) -> received.add(new String(payload, StandardCharsets.UTF_8)));
    receiver.start();
    sender = new MqttSession(settings("order-sender"), null, r -> {}, scheduler);
    sender.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receiver.isConnected() && sender.isConnected());

    for (int i = 0; i < MESSAGES; i++) {
      sender.publish("state/device", Integer.toString(i).getBytes(StandardCharsets.UTF_8), false);
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == MESSAGES);
    assertThat(received)
        .containsExactlyElementsOf(
            IntStream.range(0, MESSAGES).mapToObj(Integer::toString).toList());
  }

  private MqttSettings settings(String clientId) {
    return TestMqttSettings.anonymous(broker.uri(), clientId, Duration.ofSeconds(30));
  }
}
