package io.fieldproof.operator;

import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.Topic;
import io.fieldproof.protocol.TopicKind;
import io.fieldproof.protocol.mqtt.MqttSession;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;

/** Records, through a test's own MQTT session, every desired state the operator publishes. */
final class DesiredStateRecorder {

  private DesiredStateRecorder() {}

  /**
   * Subscribes {@code watcher} to the desired states of namespace {@code ns}, adds each one
   * published (deletions left out) to {@code told}, starts the session and waits for it.
   */
  static void record(MqttSession watcher, String ns, Collection<DesiredState> told)
      throws Exception {
    watcher.subscribe(
        Topic.deviceFilter(ns, TopicKind.DESIRED),
        (path, payload) -> {
          if (payload.length > 0) {
            try {
              told.add(MessageCodec.mapper().readValue(payload, DesiredState.class));
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          }
        });
    watcher.start();
    await().atMost(Duration.ofSeconds(30)).until(watcher::isConnected);
  }
}
