package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What the operator wants a device to run, retained on the device's desired topic. Idempotent: it
 * carries the generation of the DeviceGroup it came from, and agents report the generation they
 * applied.
 */
public record DesiredState(
    int v, String device, String group, long generation, RuntimeConfig config, ModelRef model)
    implements Message {

  @Override
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (device == null || device.isBlank()) {
      problems.add("device is required");
    }
    if (group == null || group.isBlank()) {
      problems.add("group is required");
    }
    if (generation < 1) {
      problems.add("generation must be at least 1");
    }
    if (config == null) {
      problems.add("config is required");
    }
    return problems;
  }
}
