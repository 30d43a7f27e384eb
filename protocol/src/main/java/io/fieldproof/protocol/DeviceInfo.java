package io.fieldproof.protocol;

import java.util.Map;

/**
 * A device as its gateway announces it: hardware identity (prefixed by chip family), chip,
 * firmware, runtime capabilities and the labels DeviceGroups select by.
 */
public record DeviceInfo(
    String id,
    String chip,
    String firmware,
    Capabilities capabilities,
    Map<String, String> labels) {

  public static final String CHIP_LABEL = "fieldproof.io/chip";
  public static final String GATEWAY_LABEL = "fieldproof.io/gateway";

  public DeviceInfo {
    labels = labels == null ? Map.of() : Map.copyOf(labels);
  }
}
