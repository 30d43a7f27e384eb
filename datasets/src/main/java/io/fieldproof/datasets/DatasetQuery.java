package io.fieldproof.datasets;

import java.util.Objects;
import java.util.Set;

/**
 * Which captured windows a dataset holds.
 *
 * @param namespace the DeviceGroup's namespace
 * @param group the DeviceGroup
 * @param modelSha256 only windows captured under this model, or null for any
 * @param trigger only windows this trigger started (alarm, fallback, ...), or null for any
 * @param labels only windows with one of these labels (trueAlarm, falseAlarm, sensorFault, unknown,
 *     or {@value #UNLABELED} for windows nobody labeled); empty for all
 */
public record DatasetQuery(
    String namespace, String group, String modelSha256, String trigger, Set<String> labels) {

  /** The label of a window no CaptureLabel names. */
  public static final String UNLABELED = "unlabeled";

  public DatasetQuery {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(group, "group");
    labels = labels == null ? Set.of() : Set.copyOf(labels);
  }

  boolean selects(String label) {
    return labels.isEmpty() || labels.contains(label);
  }
}
