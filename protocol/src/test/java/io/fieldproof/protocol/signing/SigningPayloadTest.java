package io.fieldproof.protocol.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.protocol.DesiredState;
import io.fieldproof.protocol.Message;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ModelRef;
import io.fieldproof.protocol.RuntimeConfig;
import io.fieldproof.protocol.Topic;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SigningPayloadTest {

  /**
   * The canonical bytes of a minimal state, written out field by field as docs/protocol.md does.
   */
  @Test
  void minimalStateIsLaidOutAsDocumented() {
    DesiredState desired =
        new DesiredState(
            Message.VERSION,
            "d",
            "g",
            2,
            new io.fieldproof.protocol.RuntimeConfig(java.util.List.of(), null, null, null, 5),
            null);
    String expected =
        hex("fieldproof.io/desired-state/v1")
            + "00"
            + "01"
            + "00000002"
            + hex("ns") // namespace
            + "01"
            + "0000000000000001" // v
            + "01"
            + "00000001"
            + hex("d") // device
            + "01"
            + "00000001"
            + hex("g") // group
            + "01"
            + "0000000000000002" // generation
            + "01" // config
            + "01"
            + "00000000" // inputs: none
            + "00"
            + "00"
            + "00" // decision, fallback, drift: null
            + "01"
            + "0000000000000005" // reportIntervalSeconds
            + "00" // model
            + "00" // selfTest
            + "00" // trialSeconds
            + "00" // attempt
            + "01"
            + "0000000000000007"; // signedAt
    assertThat(HexFormat.of().formatHex(SigningPayload.of("ns", desired, 7))).isEqualTo(expected);
  }

  @Test
  void theTestVectorsBytesHaveTheDocumentedDigest() throws Exception {
    byte[] bytes = bytes("plant-a", SigningFixtures.vectorState());
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertThat(bytes).hasSize(TestVector.PAYLOAD_BYTES);
    assertThat(digest).isEqualTo(TestVector.PAYLOAD_SHA256);
  }

  @Test
  void survivesTheJsonRoundTripAnAgentMakes() throws Exception {
    DesiredState sent = SigningFixtures.vectorState();
    DesiredState received =
        MessageCodec.decodeDesired(
            Topic.desired("plant-a", "gw-3", sent.device()), MessageCodec.encode(sent));
    assertThat(bytes("plant-a", received)).isEqualTo(bytes("plant-a", sent));
  }

  @Test
  void everyFieldChangesTheBytes() {
    DesiredState base = SigningFixtures.vectorState();
    byte[] bytes = bytes("plant-a", base);
    assertThat(bytes("plant-b", base)).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withGroup(base, "other"))).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withModel(base, null))).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withThreshold(base, 0.81))).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withAttempt(base, 2))).isNotEqualTo(bytes);
  }

  @Test
  void theDriftReferenceAndMinSamplesAreSignedWhenSetAndLeaveTheBytesAloneWhenNot() {
    DesiredState base = SigningFixtures.vectorState();
    byte[] bytes = bytes("plant-a", base);
    var input = base.config().inputs().get(0);
    var withReference =
        withConfig(
            base,
            List.of(
                new RuntimeConfig.Input(
                    input.name(),
                    input.unit(),
                    input.min(),
                    input.max(),
                    input.maxStep(),
                    input.stuckSamples(),
                    input.normalize(),
                    new RuntimeConfig.Reference(0.42, 0.13))),
            base.config().drift());
    var withMinSamples =
        withConfig(base, base.config().inputs(), new RuntimeConfig.Drift(3600, 3.0, 10));
    var explicitlyUnset =
        withConfig(
            base,
            List.of(
                new RuntimeConfig.Input(
                    input.name(),
                    input.unit(),
                    input.min(),
                    input.max(),
                    input.maxStep(),
                    input.stuckSamples(),
                    input.normalize(),
                    null)),
            new RuntimeConfig.Drift(3600, 3.0, null));

    assertThat(bytes("plant-a", withReference)).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withMinSamples)).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withReference))
        .isNotEqualTo(
            bytes(
                "plant-a",
                withConfig(
                    withReference,
                    List.of(
                        new RuntimeConfig.Input(
                            input.name(),
                            input.unit(),
                            input.min(),
                            input.max(),
                            input.maxStep(),
                            input.stuckSamples(),
                            input.normalize(),
                            new RuntimeConfig.Reference(0.42, 0.26))),
                    base.config().drift())));
    assertThat(bytes("plant-a", explicitlyUnset)).isEqualTo(bytes);
  }

  @Test
  void theCaptureIsSignedWhenSetAndLeavesTheBytesAloneWhenNot() {
    DesiredState base = SigningFixtures.vectorState();
    byte[] bytes = bytes("plant-a", base);
    RuntimeConfig.Capture capture =
        new RuntimeConfig.Capture(30, 30, RuntimeConfig.Capture.TRIGGERS, 3600, 1 << 20, 64 << 20);

    assertThat(bytes("plant-a", withCapture(base, null))).isEqualTo(bytes);
    assertThat(bytes("plant-a", withCapture(base, capture))).isNotEqualTo(bytes);
    assertThat(bytes("plant-a", withCapture(base, capture)))
        .isNotEqualTo(
            bytes(
                "plant-a",
                withCapture(
                    base,
                    new RuntimeConfig.Capture(30, 30, List.of("alarm"), 3600, 1 << 20, 64 << 20))));
    assertThat(bytes("plant-a", withCapture(base, capture)))
        .isNotEqualTo(
            bytes(
                "plant-a",
                withCapture(
                    base,
                    new RuntimeConfig.Capture(
                        30, 31, RuntimeConfig.Capture.TRIGGERS, 3600, 1 << 20, 64 << 20))));
  }

  @Test
  void aSignedCaptureSurvivesTheJsonRoundTripAnAgentMakes() throws Exception {
    DesiredState sent =
        withCapture(
            SigningFixtures.vectorState(),
            new RuntimeConfig.Capture(10, 20, List.of("drift", "alarm"), 0, 4096, 8192));
    DesiredState received =
        MessageCodec.decodeDesired(
            Topic.desired("plant-a", "gw-3", sent.device()), MessageCodec.encode(sent));
    assertThat(received.config().capture()).isEqualTo(sent.config().capture());
    assertThat(bytes("plant-a", received)).isEqualTo(bytes("plant-a", sent));
  }

  private static DesiredState withCapture(DesiredState s, RuntimeConfig.Capture capture) {
    var c = s.config();
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        new RuntimeConfig(
            c.inputs(), c.decision(), c.fallback(), c.drift(), c.reportIntervalSeconds(), capture),
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  private static DesiredState withConfig(
      DesiredState s, List<RuntimeConfig.Input> inputs, RuntimeConfig.Drift drift) {
    var c = s.config();
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        new RuntimeConfig(inputs, c.decision(), c.fallback(), drift, c.reportIntervalSeconds()),
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  @Test
  void anEmptyAndAMissingStringDiffer() {
    DesiredState base = SigningFixtures.vectorState();
    ModelRef model = base.model();
    assertThat(
            bytes(
                "plant-a",
                withModel(base, new ModelRef("", model.version(), model.sha256(), model.size()))))
        .isNotEqualTo(
            bytes(
                "plant-a",
                withModel(
                    base, new ModelRef(null, model.version(), model.sha256(), model.size()))));
  }

  static DesiredState withGroup(DesiredState s, String group) {
    return new DesiredState(
        s.v(),
        s.device(),
        group,
        s.generation(),
        s.config(),
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  static DesiredState withModel(DesiredState s, ModelRef model) {
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        s.config(),
        model,
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  static DesiredState withAttempt(DesiredState s, int attempt) {
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        s.config(),
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        attempt);
  }

  static DesiredState withThreshold(DesiredState s, double threshold) {
    var c = s.config();
    var config =
        new io.fieldproof.protocol.RuntimeConfig(
            c.inputs(),
            new io.fieldproof.protocol.RuntimeConfig.Decision(
                c.decision().output(), threshold, c.decision().minConsecutive()),
            c.fallback(),
            c.drift(),
            c.reportIntervalSeconds());
    return new DesiredState(
        s.v(),
        s.device(),
        s.group(),
        s.generation(),
        config,
        s.model(),
        s.selfTest(),
        s.trialSeconds(),
        s.attempt());
  }

  @Test
  void theSigningTimeIsSigned() {
    DesiredState base = SigningFixtures.vectorState();
    assertThat(SigningPayload.of("plant-a", base, SigningFixtures.SIGNED_AT + 1))
        .isNotEqualTo(bytes("plant-a", base));
  }

  private static byte[] bytes(String namespace, DesiredState desired) {
    return SigningPayload.of(namespace, desired, SigningFixtures.SIGNED_AT);
  }

  private static String hex(String ascii) {
    return HexFormat.of().formatHex(ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
