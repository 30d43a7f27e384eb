package io.fieldproof.operator.observe;

import io.fabric8.kubernetes.api.model.Condition;
import io.fieldproof.api.v1alpha1.AttentionItem;
import io.fieldproof.api.v1alpha1.DeviceCounts;
import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.ModelRef;
import io.fieldproof.api.v1alpha1.ModelShare;
import io.fieldproof.api.v1alpha1.RolloutDeviceCounts;
import java.util.List;

/**
 * What the fleet page shows, as GET /fleet/api/summary returns it: groups, rollouts, devices and
 * the namespaces to choose from. Group and rollout figures are those of their status; devices come
 * from the fleet index.
 *
 * @param devicesShown devices listed, at most {@link FleetSummaryBuilder#MAX_DEVICES}
 */
public record FleetSummary(
    String generatedAt,
    List<String> namespaces,
    Totals totals,
    List<GroupRow> groups,
    List<RolloutRow> rollouts,
    List<DeviceRow> devices,
    int devicesShown) {

  /** Headline figures over the namespaces shown. */
  public record Totals(
      int groups, int devices, int online, int activeRollouts, int needAttention) {}

  /** A DeviceGroup as its status shows it. */
  public record GroupRow(
      String namespace,
      String name,
      DeviceCounts devices,
      ModelRef currentModel,
      String activeRollout,
      List<Condition> conditions,
      List<ModelShare> models,
      List<AttentionItem> attention) {}

  /** A ModelRollout as its status shows it. */
  public record RolloutRow(
      String namespace,
      String name,
      String group,
      String model,
      String version,
      String phase,
      Integer step,
      int steps,
      RolloutDeviceCounts devices,
      List<GateRow> gates,
      List<DeviceFailure> failures,
      String message) {}

  /** A gate rule's latest result next to its limit. */
  public record GateRow(
      String metric,
      Double value,
      Double baseline,
      Double max,
      Double maxRatioToBaseline,
      String result) {}

  /**
   * A device as the fleet index knows it; group is null when no group selects it, battery and
   * linkQuality (0-100) are null when the device does not report them.
   */
  public record DeviceRow(
      String namespace,
      String id,
      String gateway,
      String chip,
      String group,
      boolean online,
      String link,
      String model,
      String phase,
      String lastHeard,
      Integer battery,
      Integer linkQuality) {}
}
