package io.fieldproof.operator.mqtt;

import io.fieldproof.operator.observe.FlashResults;
import io.fieldproof.protocol.DeviceEvent;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Counts received messages by kind and dropped ones by reason (fieldproof_mqtt_messages_total,
 * fieldproof_mqtt_dropped_total) and model updates by result from the device events
 * (fieldproof_flashes_total), and logs each source and reason once: a flood from one broken gateway
 * cannot flood the log.
 *
 * <p>Every label comes from a bounded set: kinds and drop reasons are enums, and a namespace label
 * is one of the first {@value #MAX_NAMESPACE_LABELS} namespaces seen; any other is counted as
 * {@value #OTHER}.
 */
public final class InboundMetrics {

  private static final Logger LOG = Logger.getLogger(InboundMetrics.class);
  private static final int MAX_REMEMBERED_SOURCES = 10_000;

  /** The label that stands for every value past a label's bound. */
  public static final String OTHER = "other";

  /** Namespaces that get a label of their own. */
  public static final int MAX_NAMESPACE_LABELS = 256;

  private final Map<TopicKind, Counter> received = new EnumMap<>(TopicKind.class);
  private final Map<DropReason, Counter> dropped = new EnumMap<>(DropReason.class);
  private final Map<IgnoredClaim, Counter> ignored = new EnumMap<>(IgnoredClaim.class);
  private final Set<String> logged = ConcurrentHashMap.newKeySet();
  private final Set<String> namespaceLabels = ConcurrentHashMap.newKeySet();
  private final FlashResults flashes;

  public InboundMetrics(MeterRegistry registry) {
    flashes = new FlashResults(registry);
    for (TopicKind kind : TopicKind.values()) {
      received.put(
          kind,
          Counter.builder("fieldproof.mqtt.messages")
              .description("MQTT messages received, by topic kind")
              .tag("kind", kind.name().toLowerCase())
              .register(registry));
    }
    for (DropReason reason : DropReason.values()) {
      dropped.put(
          reason,
          Counter.builder("fieldproof.mqtt.dropped")
              .description("MQTT messages dropped, by reason")
              .tag("reason", reason.label())
              .register(registry));
    }
    for (IgnoredClaim claim : IgnoredClaim.values()) {
      ignored.put(
          claim,
          Counter.builder("fieldproof.mqtt.ignored")
              .description("Parts of accepted MQTT messages ignored, by reason")
              .tag("reason", claim.label())
              .register(registry));
    }
  }

  public void received(TopicKind kind) {
    received.get(kind).increment();
  }

  /** A device event that passed the contract's checks. */
  public void deviceEvent(String namespace, DeviceEvent event) {
    flashes.record(namespaceLabel(namespace), event);
  }

  /** The namespace as a label: itself while fewer than the bound have labels, else "other". */
  String namespaceLabel(String namespace) {
    if (namespace == null) {
      return OTHER;
    }
    if (namespaceLabels.contains(namespace)) {
      return namespace;
    }
    synchronized (namespaceLabels) {
      if (namespaceLabels.size() < MAX_NAMESPACE_LABELS) {
        namespaceLabels.add(namespace);
        return namespace;
      }
    }
    return OTHER;
  }

  /** Messages dropped so far, over every reason. */
  public double droppedTotal() {
    return dropped.values().stream().mapToDouble(Counter::count).sum();
  }

  public void dropped(String source, DropReason reason, String detail) {
    dropped.get(reason).increment();
    if (logged.size() < MAX_REMEMBERED_SOURCES && logged.add(source + "|" + reason)) {
      LOG.warnf(
          "dropped a message on %s: %s (further drops from this source for this reason are only counted)",
          source, detail);
    }
  }

  /** Part of an accepted message ignored: counted, and logged once per source and reason. */
  public void ignored(String source, IgnoredClaim claim, String detail) {
    ignored.get(claim).increment();
    if (logged.size() < MAX_REMEMBERED_SOURCES && logged.add(source + "|" + claim)) {
      LOG.warnf(
          "ignored on %s: %s (further ones from this source for this reason are only counted)",
          source, detail);
    }
  }

  public double ignoredCount(IgnoredClaim claim) {
    return ignored.get(claim).count();
  }

  public double droppedCount(DropReason reason) {
    return dropped.get(reason).count();
  }
}
