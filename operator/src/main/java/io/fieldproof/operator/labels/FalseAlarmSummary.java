package io.fieldproof.operator.labels;

import io.fieldproof.api.v1alpha1.ModelFalseAlarms;
import io.fieldproof.api.v1alpha1.ModelRef;
import io.fieldproof.operator.rollout.gates.LabelTally;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The false alarms of a DeviceGroup's status: per model, the labeled alarm windows and how many
 * were false, the model the group runs first, then the most labeled, at most {@link #LISTED}.
 */
public final class FalseAlarmSummary {

  /** Models listed at most, as the CRD bounds it. */
  public static final int LISTED = 8;

  private FalseAlarmSummary() {}

  /**
   * @param current the model the group runs, or null
   * @return null when no alarm window of the group is labeled, so status stays as it was
   */
  public static List<ModelFalseAlarms> of(LabeledWindows windows, ModelRef current) {
    Map<String, LabelTally> byModel = windows.byModel();
    if (byModel.isEmpty()) {
      return null;
    }
    String currentSha = current == null ? null : current.sha256;
    Comparator<Map.Entry<String, LabelTally>> order =
        Comparator.<Map.Entry<String, LabelTally>, Boolean>comparing(
                e -> !e.getKey().equals(currentSha))
            .thenComparing(e -> -(e.getValue().labeled() + e.getValue().sensorFaults()))
            .thenComparing(Map.Entry::getKey);
    List<ModelFalseAlarms> listed = new ArrayList<>();
    byModel.entrySet().stream()
        .sorted(order)
        .limit(LISTED)
        .forEach(e -> listed.add(entry(e.getKey(), e.getValue(), current)));
    return listed;
  }

  private static ModelFalseAlarms entry(String sha, LabelTally tally, ModelRef current) {
    ModelFalseAlarms entry = new ModelFalseAlarms();
    entry.modelSha256 = sha;
    if (current != null && sha.equals(current.sha256) && current.name != null) {
      entry.model = current.name + (current.version == null ? "" : " " + current.version);
    }
    entry.labeledAlarms = tally.labeled();
    entry.falseAlarms = tally.falseAlarms();
    entry.sensorFaults = tally.sensorFaults();
    entry.falseAlarmRate =
        tally.labeled() == 0
            ? null
            : new BigDecimal(tally.rate()).round(new MathContext(3)).doubleValue();
    return entry;
  }
}
