package io.fieldproof.operator.devicegroup;

import io.fieldproof.operator.fleet.DeviceEntry;

/**
 * A device the group's selector matches, with what the group needs to know of it: whether it is
 * online, and why it is in conflict (claimed by another group, or announced by two gateways).
 */
public record Member(DeviceEntry entry, boolean online, String conflict) {

  public String id() {
    return entry.id();
  }

  public boolean conflicted() {
    return conflict != null;
  }
}
