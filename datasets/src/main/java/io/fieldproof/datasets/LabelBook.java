package io.fieldproof.datasets;

import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The CaptureLabels of a namespace, by the window key they name. */
final class LabelBook {

  private final Map<String, CaptureLabelSpec> byWindow;

  private LabelBook(Map<String, CaptureLabelSpec> byWindow) {
    this.byWindow = byWindow;
  }

  static LabelBook of(Collection<CaptureLabel> labels) {
    Map<String, CaptureLabelSpec> byWindow = new HashMap<>();
    for (CaptureLabel label : labels) {
      if (label.getSpec() != null && label.getSpec().window != null) {
        byWindow.put(label.getSpec().window, label.getSpec());
      }
    }
    return new LabelBook(byWindow);
  }

  Optional<CaptureLabelSpec> of(String window) {
    return Optional.ofNullable(byWindow.get(window));
  }

  /**
   * The label of {@code window} as the CLI and the manifest spell it: trueAlarm, falseAlarm,
   * sensorFault, unknown, or {@value DatasetQuery#UNLABELED} when no CaptureLabel names it.
   */
  String verdictOf(String window) {
    return of(window)
        .filter(l -> l.label != null)
        .map(l -> wireName(l.label))
        .orElse(DatasetQuery.UNLABELED);
  }

  private static String wireName(CaptureLabelSpec.Verdict verdict) {
    return switch (verdict) {
      case TRUE_ALARM -> "trueAlarm";
      case FALSE_ALARM -> "falseAlarm";
      case SENSOR_FAULT -> "sensorFault";
      case UNKNOWN -> "unknown";
    };
  }
}
