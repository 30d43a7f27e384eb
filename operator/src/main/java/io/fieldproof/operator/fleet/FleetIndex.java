package io.fieldproof.operator.fleet;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.InvalidMessageException;
import io.fieldproof.protocol.ReportedState;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operator's picture of the fleet, fed only by MQTT: device -> last reported state, gateway ->
 * last birth or will, device -> retained desired state. In memory; after a restart it is rebuilt
 * from the retained messages without asking any device anything.
 *
 * <p>Bounded (see {@link FleetLimits}): a birth announcing more devices than a gateway may, or one
 * that would take its namespace past its device or gateway cap, or a new namespace past the cap, is
 * dropped whole ({@link DropReason#OVER_LIMIT}); the gateway's previous state stays. A device that
 * no gateway announces any more and that holds no desired state is forgotten; one holding a desired
 * state stays until its desired state is retracted, so the operator can still retract it. A report
 * whose counters cannot be true ({@link CounterPlausibility}) is dropped ({@link
 * DropReason#IMPLAUSIBLE_COUNTER}) and never reaches a gate's window.
 */
public final class FleetIndex {

  private final Clock clock;
  private final FleetLimits limits;
  private final Map<String, Map<String, GatewayEntry>> gateways = new ConcurrentHashMap<>();
  private final Map<String, Map<String, DeviceEntry>> devices = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> placements = new ConcurrentHashMap<>();
  private final List<FleetListener> listeners = new CopyOnWriteArrayList<>();
  private final Canonical canonical = new Canonical();

  /** An index bounded by the limits configured under {@code fieldproof.fleet.*}. */
  public FleetIndex(Clock clock) {
    this(clock, FleetLimits.fromConfig());
  }

  public FleetIndex(Clock clock, FleetLimits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  public FleetLimits limits() {
    return limits;
  }

  public void addListener(FleetListener listener) {
    listeners.add(listener);
  }

  /**
   * Applies a birth or a will. A state older than the one held (a late will of an earlier session)
   * changes nothing; a state past the index's bounds changes nothing either (use {@link
   * #applyGatewayState} to learn why).
   */
  public void gatewayState(String namespace, GatewayState state) {
    try {
      applyGatewayState(namespace, state);
    } catch (InvalidMessageException e) {
      // refused as over a limit: the previous state stays
    }
  }

  /**
   * Applies a birth or a will, or refuses one past the index's bounds.
   *
   * @throws InvalidMessageException {@link DropReason#OVER_LIMIT}: the birth announces more devices
   *     than a gateway may, or would take the namespace past its device or gateway cap, or the
   *     namespace is new and the index holds as many as it may
   */
  public synchronized void applyGatewayState(String namespace, GatewayState state)
      throws InvalidMessageException {
    Map<String, GatewayEntry> inNamespace = gateways.get(namespace);
    GatewayEntry before = inNamespace == null ? null : inNamespace.get(state.gateway());
    if (before != null && state.seq() < before.seq()) {
      return;
    }
    boolean online = state.status() == GatewayState.Status.ONLINE;
    admit(namespace, state, before, online);
    inNamespace = gateways.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    Set<String> announced = new HashSet<>();
    Set<String> changed = new HashSet<>();
    Map<String, DeviceEntry> nsDevices =
        devices.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    if (online) {
      for (DeviceInfo info : state.devices()) {
        announced.add(info.id());
        nsDevices.compute(
            info.id(), (id, entry) -> announce(namespace, id, entry, state.gateway(), info));
        changed.add(info.id());
      }
    } else if (before != null) {
      announced.addAll(before.devices());
      changed.addAll(before.devices());
    }
    if (before != null && online) {
      for (String gone : before.devices()) {
        if (!announced.contains(gone)) {
          nsDevices.computeIfPresent(
              gone,
              (id, entry) ->
                  evictedWithout(entry, state.gateway()) ? null : withdraw(entry, state.gateway()));
          changed.add(gone);
        }
      }
    }
    inNamespace.put(
        state.gateway(),
        new GatewayEntry(
            namespace,
            state.gateway(),
            online,
            state.seq(),
            announced,
            state.eventsDropped(),
            clock.instant()));
    notify(namespace, changed);
  }

  /** Refuses a state past the bounds, before anything of it is applied. */
  private void admit(String namespace, GatewayState state, GatewayEntry before, boolean online)
      throws InvalidMessageException {
    Map<String, GatewayEntry> inNamespace = gateways.get(namespace);
    if (newNamespaceOverCap(namespace)) {
      throw new InvalidMessageException(
          DropReason.OVER_LIMIT,
          "namespace " + namespace + " is new and " + limits.maxNamespaces() + " are known");
    }
    if (before == null
        && inNamespace != null
        && inNamespace.size() >= limits.maxGatewaysPerNamespace()) {
      throw new InvalidMessageException(
          DropReason.OVER_LIMIT,
          "gateway "
              + state.gateway()
              + " is new and "
              + namespace
              + " holds "
              + limits.maxGatewaysPerNamespace()
              + " gateways");
    }
    if (!online) {
      return;
    }
    Set<String> ids = new HashSet<>();
    for (DeviceInfo info : state.devices()) {
      ids.add(info.id());
    }
    if (ids.size() > limits.maxDevicesPerGateway()) {
      throw new InvalidMessageException(
          DropReason.OVER_LIMIT,
          "the birth announces "
              + ids.size()
              + " devices, a gateway may announce "
              + limits.maxDevicesPerGateway());
    }
    Map<String, DeviceEntry> nsDevices = devices.getOrDefault(namespace, Map.of());
    long fresh = ids.stream().filter(id -> !nsDevices.containsKey(id)).count();
    long evicted =
        before == null
            ? 0
            : before.devices().stream()
                .filter(id -> !ids.contains(id))
                .map(nsDevices::get)
                .filter(e -> e != null && evictedWithout(e, state.gateway()))
                .count();
    if (nsDevices.size() + fresh - evicted > limits.maxDevicesPerNamespace()) {
      throw new InvalidMessageException(
          DropReason.OVER_LIMIT,
          "the birth adds "
              + fresh
              + " devices to "
              + namespace
              + ", which holds "
              + nsDevices.size()
              + " of at most "
              + limits.maxDevicesPerNamespace());
    }
  }

  /** Applies a device report; the device must be announced by the gateway that reports it. */
  public synchronized void reported(String namespace, ReportedState state)
      throws InvalidMessageException {
    DeviceEntry entry = device(namespace, state.device()).orElse(null);
    if (entry == null || entry.announcedBy().isEmpty()) {
      throw new InvalidMessageException(
          DropReason.UNKNOWN_DEVICE, "no gateway in " + namespace + " announces " + state.device());
    }
    if (!state.gateway().equals(entry.gateway())) {
      throw new InvalidMessageException(
          DropReason.IDENTITY_MISMATCH,
          state.device()
              + " is reported by "
              + state.gateway()
              + " but owned by "
              + entry.gateway()
              + ", which announced it first");
    }
    Optional<String> implausible =
        CounterPlausibility.problem(
            entry.reported() == null ? null : entry.reported().health(),
            state.health(),
            limits.maxCountsPerSecond());
    if (implausible.isPresent()) {
      throw new InvalidMessageException(
          DropReason.IMPLAUSIBLE_COUNTER, state.device() + ": " + implausible.get());
    }
    devices
        .get(namespace)
        .put(
            state.device(),
            new DeviceEntry(
                namespace,
                entry.id(),
                entry.announcedBy(),
                entry.info(),
                shared(entry, state),
                entry.desired(),
                clock.instant()));
    notify(namespace, Set.of(state.device()));
  }

  /**
   * Records the desired state retained for a device (null when it was retracted), whatever the
   * bounds: the operator's own desired states are always held, so it can retract them. A retraction
   * forgets a device no gateway announces.
   */
  public synchronized void desired(String namespace, String device, DesiredState desired) {
    DeviceEntry entry = device(namespace, device).orElse(null);
    if (entry == null && desired == null) {
      return;
    }
    Map<String, DeviceEntry> nsDevices =
        devices.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    if (desired == null && entry.announcedBy().isEmpty()) {
      nsDevices.remove(device);
      return;
    }
    desired = shared(desired);
    DeviceEntry next =
        entry == null
            ? new DeviceEntry(namespace, device, Set.of(), null, null, desired, null)
            : new DeviceEntry(
                namespace,
                device,
                entry.announcedBy(),
                entry.info(),
                entry.reported(),
                desired,
                entry.lastHeard());
    nsDevices.put(device, next);
  }

  /**
   * Records a desired state the broker delivered, or refuses one for a device the index does not
   * hold when its namespace (or the index) is full.
   *
   * @throws InvalidMessageException {@link DropReason#OVER_LIMIT}
   */
  public synchronized void applyDesired(String namespace, String device, DesiredState desired)
      throws InvalidMessageException {
    Map<String, DeviceEntry> nsDevices = devices.get(namespace);
    boolean known = nsDevices != null && nsDevices.containsKey(device);
    if (!known && desired != null) {
      if (newNamespaceOverCap(namespace)) {
        throw new InvalidMessageException(
            DropReason.OVER_LIMIT,
            "namespace " + namespace + " is new and " + limits.maxNamespaces() + " are known");
      }
      if (nsDevices != null && nsDevices.size() >= limits.maxDevicesPerNamespace()) {
        throw new InvalidMessageException(
            DropReason.OVER_LIMIT,
            namespace + " holds " + limits.maxDevicesPerNamespace() + " devices");
      }
    }
    desired(namespace, device, desired);
  }

  /**
   * Notes that the broker retains a desired state for the device under {@code gateway}'s topics (or
   * no longer does). A retained state under a gateway that announces the device makes that gateway
   * its owner: after a restart, births arrive in any order, and the gateway the operator published
   * under before is the one that claimed the device first.
   */
  public synchronized void desiredRetainedUnder(
      String namespace, String gateway, String device, boolean present) {
    Map<String, String> placed =
        placements.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    if (!present) {
      placed.remove(device, gateway);
      return;
    }
    placed.put(device, gateway);
    Map<String, DeviceEntry> nsDevices = devices.get(namespace);
    DeviceEntry entry = nsDevices == null ? null : nsDevices.get(device);
    if (entry != null
        && entry.announcedBy().contains(gateway)
        && !gateway.equals(entry.gateway())) {
      Set<String> by = new LinkedHashSet<>();
      by.add(gateway);
      by.addAll(entry.announcedBy());
      nsDevices.put(
          device,
          new DeviceEntry(
              namespace,
              device,
              by,
              entry.info(),
              entry.reported(),
              entry.desired(),
              entry.lastHeard()));
      notify(namespace, Set.of(device));
    }
  }

  /** The gateway whose topics retain the device's desired state, if any. */
  public Optional<String> desiredGateway(String namespace, String device) {
    return Optional.ofNullable(placements.getOrDefault(namespace, Map.of()).get(device));
  }

  public Optional<DeviceEntry> device(String namespace, String id) {
    return Optional.ofNullable(devices.getOrDefault(namespace, Map.of()).get(id));
  }

  /** Every device of the namespace, announced or only holding a retained desired state. */
  public List<DeviceEntry> devices(String namespace) {
    return List.copyOf(devices.getOrDefault(namespace, Map.of()).values());
  }

  public Optional<GatewayEntry> gateway(String namespace, String id) {
    return Optional.ofNullable(gateways.getOrDefault(namespace, Map.of()).get(id));
  }

  public List<GatewayEntry> gateways(String namespace) {
    return List.copyOf(gateways.getOrDefault(namespace, Map.of()).values());
  }

  /** Whether the device is online, as {@link Presence} defines it: the one definition. */
  public boolean online(DeviceEntry entry, java.time.Duration offlineAfter) {
    return presence(entry, offlineAfter).online();
  }

  /** Where the device stands: online, or why not (see {@link Presence}). */
  public Presence presence(DeviceEntry entry, java.time.Duration offlineAfter) {
    boolean gatewayUp =
        entry.announcedBy().stream()
            .anyMatch(gw -> gateway(entry.namespace(), gw).map(GatewayEntry::online).orElse(false));
    return Presence.of(entry, gatewayUp, offlineAfter, clock.instant());
  }

  public java.time.Instant now() {
    return clock.instant();
  }

  /** The namespaces any device or gateway was heard of in. */
  public Set<String> namespaces() {
    return Set.copyOf(devices.keySet());
  }

  /** Gateways the index holds, over every namespace. */
  public int gatewayCount() {
    return gateways.values().stream().mapToInt(Map::size).sum();
  }

  public int deviceCount() {
    return devices.values().stream().mapToInt(Map::size).sum();
  }

  /** Devices of every namespace that a gateway announces. */
  public long announcedCount() {
    return count(e -> !e.announcedBy().isEmpty());
  }

  /** Devices of every namespace whose report the index holds. */
  public long reportedCount() {
    return count(e -> e.reported() != null);
  }

  /** Devices of every namespace whose retained desired state the index holds. */
  public long desiredCount() {
    return count(e -> e.desired() != null);
  }

  private long count(java.util.function.Predicate<DeviceEntry> held) {
    return devices.values().stream()
        .flatMap(inNamespace -> inNamespace.values().stream())
        .filter(held)
        .count();
  }

  private DeviceEntry announce(
      String namespace, String id, DeviceEntry entry, String gateway, DeviceInfo info) {
    Set<String> by = new LinkedHashSet<>(entry == null ? Set.of() : entry.announcedBy());
    by.add(canonical.of(gateway));
    return new DeviceEntry(
        namespace,
        id,
        by,
        shared(id, info),
        entry == null ? null : entry.reported(),
        entry == null ? null : entry.desired(),
        clock.instant());
  }

  /** The announcement with the parts many devices share held once. */
  private DeviceInfo shared(String id, DeviceInfo info) {
    return new DeviceInfo(
        id,
        canonical.of(info.chip()),
        canonical.of(info.firmware()),
        canonical.of(info.capabilities()),
        canonical.of(info.labels()));
  }

  /** The report with the parts many devices share held once, its ids those of the entry. */
  private ReportedState shared(DeviceEntry entry, ReportedState state) {
    return new ReportedState(
        state.v(),
        entry.id(),
        canonical.of(state.gateway()),
        state.link(),
        state.observedGeneration(),
        state.configError(),
        canonical.of(state.slots()),
        canonical.of(state.phase()),
        state.lastError(),
        state.health(),
        state.update());
  }

  /** The desired state with its config (the same for a group's members) held once. */
  private DesiredState shared(DesiredState desired) {
    if (desired == null) {
      return null;
    }
    return new DesiredState(
        desired.v(),
        desired.device(),
        canonical.of(desired.group()),
        desired.generation(),
        canonical.of(desired.config()),
        canonical.of(desired.model()),
        canonical.of(desired.selfTest()),
        desired.trialSeconds(),
        desired.attempt(),
        desired.signature());
  }

  private boolean newNamespaceOverCap(String namespace) {
    if (gateways.containsKey(namespace) || devices.containsKey(namespace)) {
      return false;
    }
    Set<String> known = new HashSet<>(gateways.keySet());
    known.addAll(devices.keySet());
    return known.size() >= limits.maxNamespaces();
  }

  /** Whether the device is forgotten once {@code gateway} stops announcing it. */
  private static boolean evictedWithout(DeviceEntry entry, String gateway) {
    return entry.desired() == null
        && entry.announcedBy().stream().allMatch(announcer -> announcer.equals(gateway));
  }

  private static DeviceEntry withdraw(DeviceEntry entry, String gateway) {
    Set<String> by = new LinkedHashSet<>(entry.announcedBy());
    by.remove(gateway);
    return new DeviceEntry(
        entry.namespace(),
        entry.id(),
        by,
        entry.info(),
        entry.reported(),
        entry.desired(),
        entry.lastHeard());
  }

  private void notify(String namespace, Set<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    for (FleetListener listener : listeners) {
      listener.changed(namespace, Set.copyOf(changed));
    }
  }
}
