package io.fieldproof.operator.devicegroup;

import io.fieldproof.api.v1alpha1.AttentionItem;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.protocol.Health;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The few members that need a human, worst first, at most 20: conflicts and devices another gateway
 * claims too, then offline, then unreachable, rejected config, safe state, sensor faults, fallback
 * and drift. Nothing in an item changes while its cause holds, so an unchanged fleet gives an
 * unchanged list.
 */
final class AttentionList {

  static final int MAX_ITEMS = 20;

  private AttentionList() {}

  static List<AttentionItem> of(List<Member> members) {
    List<Ranked> ranked = new ArrayList<>();
    for (Member member : members) {
      cause(member).ifPresent(ranked::add);
    }
    ranked.sort(Comparator.comparingInt(Ranked::rank).thenComparing(r -> r.item().device));
    return ranked.stream().limit(MAX_ITEMS).map(Ranked::item).toList();
  }

  private static java.util.Optional<Ranked> cause(Member member) {
    if (member.conflicted()) {
      return ranked(AttentionReason.CONFLICT, member, member.conflict(), null);
    }
    if (member.entry().announcedTwice()) {
      return ranked(
          AttentionReason.CLAIMED_BY_ANOTHER_GATEWAY,
          member,
          "also announced by "
              + String.join(", ", member.entry().laterClaims())
              + "; ignored, "
              + member.entry().gateway()
              + " announced it first and keeps it",
          null);
    }
    if (member.presence() == Presence.UNREACHABLE) {
      return ranked(
          AttentionReason.UNREACHABLE,
          member,
          "the gateway cannot reach the device on its link",
          null);
    }
    if (!member.online()) {
      String since =
          member.entry().lastHeard() == null ? null : member.entry().lastHeard().toString();
      return ranked(AttentionReason.OFFLINE, member, "not heard from since " + since, since);
    }
    if (MemberHealth.configRejected(member)) {
      return ranked(
          AttentionReason.CONFIG_REJECTED, member, member.entry().reported().configError(), null);
    }
    if (MemberHealth.safeState(member)) {
      Health health = MemberHealth.health(member).orElseThrow();
      return ranked(
          AttentionReason.SAFE_STATE,
          member,
          "a safe-state fallback rule holds the outputs in their safe state ("
              + health.activations(Health.SAFE_STATE)
              + " safe-state activations since boot)"
              + (health.sensorFaults() > 0
                  ? "; " + health.sensorFaults() + " inputs in fault"
                  : ""),
          null);
    }
    if (MemberHealth.sensorFault(member)) {
      return ranked(
          AttentionReason.SENSOR_FAULT,
          member,
          MemberHealth.health(member).orElseThrow().sensorFaults()
              + " inputs in fault; faults so far by kind: "
              + new java.util.TreeMap<>(
                  MemberHealth.health(member).orElseThrow().sensorFaultsByKind()),
          null);
    }
    if (MemberHealth.fallbackActive(member)) {
      String action = MemberHealth.health(member).orElseThrow().fallbackAction();
      return ranked(
          AttentionReason.FALLBACK_ACTIVE,
          member,
          action == null ? "deciding by fallback rules" : "deciding by fallback: " + action,
          null);
    }
    if (MemberHealth.drifting(member)) {
      return ranked(
          AttentionReason.DRIFTING,
          member,
          "drifting inputs: " + MemberHealth.health(member).orElseThrow().driftingInputs(),
          null);
    }
    return java.util.Optional.empty();
  }

  private static java.util.Optional<Ranked> ranked(
      AttentionReason reason, Member member, String message, String since) {
    AttentionItem item = new AttentionItem();
    item.device = member.id();
    item.gateway = member.entry().gateway();
    item.reason = reason.wireName();
    item.message = message;
    item.since = since;
    return java.util.Optional.of(new Ranked(reason.rank(), item));
  }

  private record Ranked(int rank, AttentionItem item) {}
}
