package io.fieldproof.operator.devicegroup;

import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;

/**
 * A device the group's selector matches, with what the group needs to know of it: whether it is
 * online (its {@link Presence}, the one definition the group and its rollouts share), and why it is
 * in conflict (claimed by another group, or announced by two gateways).
 */
public record Member(DeviceEntry entry, Presence presence, String conflict) {

  public String id() {
    return entry.id();
  }

  public boolean online() {
    return presence.online();
  }

  public boolean conflicted() {
    return conflict != null;
  }
}
