package io.fieldproof.datasets;

import java.util.Map;

/**
 * One window as the store holds it.
 *
 * @param body the window's bytes
 * @param metadata the object's user metadata (device, gateway, group, model, trigger, chip, ...)
 */
record StoredWindow(byte[] body, Map<String, String> metadata) {

  StoredWindow {
    metadata = Map.copyOf(metadata);
  }
}
