package io.fieldproof.datasets;

import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import io.fieldproof.protocol.capture.CaptureKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The windows a {@link DatasetQuery} selects: the store's keys under the query's prefix, sorted by
 * key, each with its label from the {@link LabelBook}. Only keys are listed; no window is read.
 * Objects whose key is not a capture key are named, never selected.
 */
final class WindowSelection {

  /**
   * A selected window.
   *
   * @param key its object key
   * @param captureKey what the key says (namespace, group, model, trigger, device, time)
   * @param label trueAlarm, falseAlarm, sensorFault, unknown or {@value DatasetQuery#UNLABELED}
   * @param spec the CaptureLabel's spec, when one names the window
   */
  record Selected(
      String key, CaptureKey captureKey, String label, Optional<CaptureLabelSpec> spec) {}

  /**
   * What a query selected.
   *
   * @param windows the selected windows, sorted by key
   * @param notWindows one line per object under the prefix whose key is not a capture key
   */
  record Result(List<Selected> windows, List<String> notWindows) {

    Map<String, Integer> byLabel() {
      Map<String, Integer> byLabel = new TreeMap<>();
      windows.forEach(w -> byLabel.merge(w.label(), 1, Integer::sum));
      return byLabel;
    }
  }

  private final WindowStore store;
  private final LabelBook labels;

  WindowSelection(WindowStore store, LabelBook labels) {
    this.store = store;
    this.labels = labels;
  }

  Result select(DatasetQuery query) {
    String prefix =
        CaptureKey.prefix(query.namespace(), query.group(), query.modelSha256(), query.trigger());
    List<Selected> windows = new ArrayList<>();
    List<String> notWindows = new ArrayList<>();
    for (String key : store.keys(prefix).stream().sorted().toList()) {
      Optional<CaptureKey> parsed = CaptureKey.parse(key);
      if (parsed.isEmpty()) {
        notWindows.add(key + ": not a capture key");
        continue;
      }
      if (query.trigger() != null && !parsed.get().trigger().wireName().equals(query.trigger())) {
        continue;
      }
      Optional<CaptureLabelSpec> spec = labels.of(key);
      String label = labels.verdictOf(key);
      if (query.selects(label)) {
        windows.add(new Selected(key, parsed.get(), label, spec));
      }
    }
    return new Result(List.copyOf(windows), List.copyOf(notWindows));
  }
}
