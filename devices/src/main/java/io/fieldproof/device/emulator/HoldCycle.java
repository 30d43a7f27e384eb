package io.fieldproof.device.emulator;

import java.util.List;

/**
 * Applies {@link HeldReadings} to emulators once a second: holds the readings while an episode
 * lasts and gives the inputs back to their scenarios between episodes. Acts only when the phase
 * changes, so a test or a person may still hold other inputs by hand.
 */
final class HoldCycle implements Runnable {

  private final HeldReadings held;
  private final List<DeviceEmulator> emulators;
  private long second;
  private Boolean holding;

  HoldCycle(HeldReadings held, List<DeviceEmulator> emulators) {
    this.held = held;
    this.emulators = List.copyOf(emulators);
  }

  @Override
  public synchronized void run() {
    boolean now = held.heldAt(second++);
    if (holding != null && holding == now) {
      return;
    }
    holding = now;
    for (DeviceEmulator emulator : emulators) {
      held.values()
          .forEach(
              (input, value) -> {
                if (now) {
                  emulator.holdReading(input, value);
                } else {
                  emulator.releaseReading(input);
                }
              });
    }
  }
}
