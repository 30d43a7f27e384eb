package io.fieldproof.device.emulator;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies {@link HeldReadings} to emulators once a second: holds the readings while an episode
 * lasts and gives the inputs back to their scenarios between episodes. Its clock runs only while
 * the devices run (every one has a runtime configuration), so episodes are not spent before a group
 * configured them. Acts only when the phase changes, so a test or a person may still hold other
 * inputs by hand.
 */
final class HoldCycle implements Runnable {

  private final HeldReadings held;
  private final List<DeviceEmulator> emulators;
  private final BooleanSupplier running;
  private long second;
  private Boolean holding;

  HoldCycle(HeldReadings held, List<DeviceEmulator> emulators) {
    this(
        held,
        emulators,
        () -> emulators.stream().allMatch(emulator -> emulator.config().isPresent()));
  }

  HoldCycle(HeldReadings held, List<DeviceEmulator> emulators, BooleanSupplier running) {
    this.held = held;
    this.emulators = List.copyOf(emulators);
    this.running = running;
  }

  @Override
  public synchronized void run() {
    if (!running.getAsBoolean()) {
      return;
    }
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
