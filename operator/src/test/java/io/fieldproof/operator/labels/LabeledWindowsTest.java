package io.fieldproof.operator.labels;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fieldproof.api.v1alpha1.CaptureLabel;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec;
import io.fieldproof.api.v1alpha1.CaptureLabelSpec.Verdict;
import io.fieldproof.api.v1alpha1.ModelFalseAlarms;
import io.fieldproof.api.v1alpha1.ModelRef;
import io.fieldproof.api.v1alpha1.Patterns;
import io.fieldproof.operator.rollout.gates.LabelTally;
import io.fieldproof.protocol.capture.CaptureKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledWindowsTest {

  private static final String OLD = "a".repeat(64);
  private static final String NEW = "b".repeat(64);
  private static final String DEVICE = "esp32-a4cf12409817";
  private static int sequence;

  private static CaptureLabel label(String window, Verdict verdict) {
    CaptureLabel label = new CaptureLabel();
    label.setMetadata(
        new ObjectMetaBuilder().withName("l" + sequence++).withNamespace("plant").build());
    label.setSpec(new CaptureLabelSpec());
    label.getSpec().window = window;
    label.getSpec().label = verdict;
    return label;
  }

  private static String window(String group, String sha, String trigger) {
    return "plant/%s/%s/%s/%s/17650-%012x.json".formatted(group, sha, trigger, DEVICE, sequence);
  }

  @Test
  void alarmWindowsOfTheGroupAreTalliedByModel() {
    List<CaptureLabel> labels = new ArrayList<>();
    labels.add(label(window("pumps", OLD, "alarm"), Verdict.FALSE_ALARM));
    labels.add(label(window("pumps", OLD, "alarm"), Verdict.FALSE_ALARM));
    labels.add(label(window("pumps", OLD, "alarm"), Verdict.TRUE_ALARM));
    labels.add(label(window("pumps", OLD, "alarm"), Verdict.SENSOR_FAULT));
    labels.add(label(window("pumps", OLD, "alarm"), Verdict.UNKNOWN));
    labels.add(label(window("pumps", NEW, "alarm"), Verdict.TRUE_ALARM));

    LabeledWindows windows = LabeledWindows.of("plant", "pumps", labels);

    assertThat(windows.byModel())
        .containsEntry(OLD, new LabelTally(1, 2, 1))
        .containsEntry(NEW, new LabelTally(1, 0, 0));
    assertThat(windows.evidence(NEW).updated()).isEqualTo(new LabelTally(1, 0, 0));
    assertThat(windows.evidence(NEW).baseline()).isEqualTo(new LabelTally(1, 2, 1));
  }

  @Test
  void labelsOfAnotherGroupAnotherNamespaceOrWindowsNoAlarmStartedAreLeftOut() {
    List<CaptureLabel> labels =
        List.of(
            label(window("fans", OLD, "alarm"), Verdict.FALSE_ALARM),
            label(window("pumps", OLD, "sample"), Verdict.FALSE_ALARM),
            label(window("pumps", OLD, "drift"), Verdict.SENSOR_FAULT),
            label(
                "other/pumps/" + OLD + "/alarm/" + DEVICE + "/1-0123456789ab.json",
                Verdict.FALSE_ALARM),
            label("not a key", Verdict.FALSE_ALARM));

    assertThat(LabeledWindows.of("plant", "pumps", labels).byModel()).isEmpty();
  }

  @Test
  void theGroupStatusListsTheModelItRunsFirstWithItsRate() {
    List<CaptureLabel> labels = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      labels.add(label(window("pumps", OLD, "alarm"), Verdict.FALSE_ALARM));
    }
    labels.add(label(window("pumps", NEW, "alarm"), Verdict.FALSE_ALARM));
    labels.add(label(window("pumps", NEW, "alarm"), Verdict.TRUE_ALARM));
    labels.add(label(window("pumps", NEW, "alarm"), Verdict.TRUE_ALARM));
    ModelRef current = new ModelRef();
    current.name = "vib-anomaly";
    current.version = "1.5.0";
    current.sha256 = NEW;

    List<ModelFalseAlarms> summary =
        FalseAlarmSummary.of(LabeledWindows.of("plant", "pumps", labels), current);

    assertThat(summary).hasSize(2);
    assertThat(summary.get(0).modelSha256).isEqualTo(NEW);
    assertThat(summary.get(0).model).isEqualTo("vib-anomaly 1.5.0");
    assertThat(summary.get(0).labeledAlarms).isEqualTo(3);
    assertThat(summary.get(0).falseAlarmRate).isEqualTo(0.333);
    assertThat(summary.get(1).modelSha256).isEqualTo(OLD);
    assertThat(summary.get(1).falseAlarmRate).isEqualTo(1.0);
    assertThat(summary.get(1).model).isNull();
  }

  @Test
  void theSchemaChecksTheKeysTheProtocolMakes() {
    assertThat(Patterns.CAPTURE_KEY).isEqualTo(CaptureKey.PATTERN);
  }

  @Test
  void aGroupWithoutLabeledAlarmsLeavesItsStatusWithoutTheList() {
    assertThat(FalseAlarmSummary.of(LabeledWindows.none(), null)).isNull();
  }

  @Test
  void theListIsBounded() {
    List<CaptureLabel> labels = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String sha = String.format("%064x", i);
      labels.add(label(window("pumps", sha, "alarm"), Verdict.TRUE_ALARM));
    }

    assertThat(FalseAlarmSummary.of(LabeledWindows.of("plant", "pumps", labels), null))
        .hasSize(FalseAlarmSummary.LISTED);
  }
}
