package io.fieldproof.system;

import java.util.concurrent.atomic.AtomicLong;
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
 * Counts what the operator asks of devices: every desired state published on {@code
 * fieldproof/v2/{ns}/gw/+/dev/+/desired} while this subscriber listens (a publication or a
 * retraction, as the broker forwards it live), apart from the retained ones the broker sends when
 * it subscribes.
 */
final class DesiredWatch implements AutoCloseable {

  private final MqttClient client;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong retained = new AtomicLong();

  private DesiredWatch(MqttClient client) {
    this.client = client;
  }

  static DesiredWatch subscribe(String uri, String namespace) throws MqttException {
    return subscribe(uri, namespace, "bench-desired-watch-" + namespace);
  }

  static DesiredWatch subscribe(String uri, String namespace, String clientId)
      throws MqttException {
    MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
    DesiredWatch watch = new DesiredWatch(client);
    client.setCallback(watch.new Callback());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setReceiveMaximum(1000);
    client.connect(options);
    client.subscribe("fieldproof/v2/" + namespace + "/gw/+/dev/+/desired", 1);
    return watch;
  }

  /** Desired states (and retractions) published while listening. */
  long published() {
    return published.get();
  }

  /** Retained desired states the broker held when this subscribed. */
  long retained() {
    return retained.get();
  }

  @Override
  public void close() throws MqttException {
    client.disconnect();
    client.close();
  }

  private final class Callback implements MqttCallback {
    @Override
    public void messageArrived(String topic, MqttMessage message) {
      (message.isRetained() ? retained : published).incrementAndGet();
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
