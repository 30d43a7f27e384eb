package io.fieldproof.operator.labels;

import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec.Verdict;
import io.fieldproof.operator.rollout.gates.LabelEvidence;
import io.fieldproof.operator.rollout.gates.LabelTally;
import io.fieldproof.protocol.capture.CaptureKey;
import io.fieldproof.protocol.capture.CaptureTrigger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labeled alarm windows of one DeviceGroup, by the model the devices ran when they captured
 * them. Only windows an alarm started count: a falseAlarm label on a window of normal operation
 * says nothing of the model's alarms. A label whose window names another namespace or group is not
 * the group's and is left out.
 */
public final class LabeledWindows {

  private final Map<String, LabelTally> byModel;

  private LabeledWindows(Map<String, LabelTally> byModel) {
    this.byModel = byModel;
  }

  /** No labeled window. */
  public static LabeledWindows none() {
    return new LabeledWindows(Map.of());
  }

  public static LabeledWindows of(String namespace, String group, Collection<CaptureLabel> labels) {
    Map<String, LabelTally> byModel = new LinkedHashMap<>();
    for (CaptureLabel label : labels) {
      if (label.getSpec() == null || label.getSpec().label == null) {
        continue;
      }
      Optional<CaptureKey> key = CaptureKey.parse(label.getSpec().window);
      if (key.isEmpty()
          || !key.get().namespace().equals(namespace)
          || !key.get().group().equals(group)
          || key.get().trigger() != CaptureTrigger.ALARM) {
        continue;
      }
      byModel.merge(key.get().modelSha256(), tally(label.getSpec().label), LabelTally::plus);
    }
    return new LabeledWindows(byModel);
  }

  /** Each model's labeled alarm windows, in no particular order. */
  public Map<String, LabelTally> byModel() {
    return Map.copyOf(byModel);
  }

  /**
   * A rollout's evidence: the windows captured under its model against those captured under every
   * other model of the group.
   */
  public LabelEvidence evidence(String rolloutSha256) {
    LabelTally baseline = LabelTally.NONE;
    for (Map.Entry<String, LabelTally> entry : byModel.entrySet()) {
      if (!entry.getKey().equals(rolloutSha256)) {
        baseline = baseline.plus(entry.getValue());
      }
    }
    return new LabelEvidence(byModel.getOrDefault(rolloutSha256, LabelTally.NONE), baseline);
  }

  private static LabelTally tally(Verdict verdict) {
    return switch (verdict) {
      case TRUE_ALARM -> new LabelTally(1, 0, 0);
      case FALSE_ALARM -> new LabelTally(0, 1, 0);
      case SENSOR_FAULT -> new LabelTally(0, 0, 1);
      case UNKNOWN -> LabelTally.NONE;
    };
  }
}
