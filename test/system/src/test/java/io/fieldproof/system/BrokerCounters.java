package io.fieldproof.system;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Mosquitto's own counters from its {@code $SYS} topics, which it publishes every 10 s (its default
 * {@code sys_interval}).
 */
final class BrokerCounters implements AutoCloseable {

  private final MqttClient client;
  private final Map<String, Double> latest = new ConcurrentHashMap<>();
  private final Map<String, Long> updates = new ConcurrentHashMap<>();

  private BrokerCounters(MqttClient client) {
    this.client = client;
  }

  static BrokerCounters subscribe(String uri) throws MqttException {
    MqttClient client = new MqttClient(uri, "bench-sys-counters", new MemoryPersistence());
    BrokerCounters counters = new BrokerCounters(client);
    client.setCallback(counters.new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    client.connect(options);
    client.subscribe(
        new String[] {"$SYS/broker/messages/+", "$SYS/broker/publish/messages/+"},
        new int[] {0, 0});
    return counters;
  }

  /** The value of {@code topic} the broker publishes next (within its 10 s interval). */
  double awaitFresh(String topic) {
    long seen = updates.getOrDefault(topic, 0L);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> updates.getOrDefault(topic, 0L) > seen);
    return latest.get(topic);
  }

  /** The value of {@code topic} last published, NaN if none yet. */
  double latest(String topic) {
    return latest.getOrDefault(topic, Double.NaN);
  }

  @Override
  public void close() throws MqttException {
    client.disconnect();
    client.close();
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      try {
        latest.put(topic, Double.parseDouble(new String(message.getPayload()).trim()));
        updates.merge(topic, 1L, Long::sum);
      } catch (NumberFormatException e) {
        // not a counter
      }
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {}

    @Override
    public void mqttErrorOccurred(MqttException exception) {}

    @Override
    public void deliveryComplete(IMqttToken token) {}

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {}

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
  }
}
