package io.fieldproof.agent.link;

import io.fieldproof.device.protocol.Telemetry;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The telemetry listeners of one link; a failing listener is logged and does not stop others. */
final class TelemetryListeners {

  private static final System.Logger LOG = System.getLogger(TelemetryListeners.class.getName());

  private final List<Consumer<Telemetry>> listeners = new CopyOnWriteArrayList<>();

  void add(Consumer<Telemetry> listener) {
    listeners.add(listener);
  }

  void publish(Telemetry telemetry) {
    for (Consumer<Telemetry> listener : listeners) {
      try {
        listener.accept(telemetry);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "telemetry listener failed", e);
      }
    }
  }
}
