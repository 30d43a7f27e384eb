package io.fieldproof.operator.leader;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this replica leads: always when leader election is off, otherwise from the moment the
 * election made it leader. Work that writes to the fleet outside a reconcile (refilling the broker)
 * asks here first, so a standby replica never writes.
 */
@Singleton
public class Leadership {

  private final AtomicBoolean electing = new AtomicBoolean();
  private final AtomicBoolean leading = new AtomicBoolean();

  /** Leader election is on: this replica leads only once {@link #started} is called. */
  void electionEnabled() {
    electing.set(true);
  }

  void started() {
    leading.set(true);
  }

  public boolean leading() {
    return !electing.get() || leading.get();
  }
}
