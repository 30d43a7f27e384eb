package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.testsupport.ProjectPaths;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemberFitTest {

  private static final List<String> ALL =
      List.of(
          "FULLY_CONNECTED",
          "CONV_2D",
          "DEPTHWISE_CONV_2D",
          "AVERAGE_POOL_2D",
          "MAX_POOL_2D",
          "RESHAPE",
          "SOFTMAX",
          "LOGISTIC",
          "QUANTIZE",
          "DEQUANTIZE",
          "ADD");

  private static Member member(String id, Capabilities capabilities) {
    DeviceInfo info = new DeviceInfo(id, "esp32", "1.0.0", capabilities, Map.of());
    return new Member(
        new DeviceEntry("ns", id, Set.of("gw-1"), info, null, null, Instant.EPOCH),
        Presence.ONLINE,
        null);
  }

  @Test
  void membersTheModelDoesNotFitAreCountedListedAndLeftOut() throws Exception {
    byte[] conv =
        Files.readAllBytes(
            ProjectPaths.root().resolve("model/fixtures/models/conv1d_vibration.tflite"));
    List<String> withoutConv = new ArrayList<>(ALL);
    withoutConv.remove("CONV_2D");
    List<Member> members = new ArrayList<>();
    members.add(member("esp32-000000000001", new Capabilities(ALL, 96 * 1024, 512 * 1024)));
    for (int i = 0; i < 25; i++) {
      members.add(
          member(
              String.format("stm32-%024x", i), new Capabilities(withoutConv, 40 * 1024, 262144)));
    }
    members.add(member("esp32-000000000002", new Capabilities(ALL, 1024, 512 * 1024)));
    members.add(member("esp32-000000000003", null));

    MemberFit.Result fit = MemberFit.check(conv, members, 4);

    assertThat(fit.compatible()).extracting(Member::id).containsExactly("esp32-000000000001");
    assertThat(fit.incompatible()).isEqualTo(27);
    assertThat(fit.listed()).hasSize(MemberFit.LISTED);
    assertThat(fit.listed().get(0).reason).isEqualTo("Incompatible");
    assertThat(fit.listed().get(0).message).contains("CONV_2D");
  }

  @Test
  void theDriftStateOfTheGroupsInputsCountsAgainstTheAnnouncedArena() throws Exception {
    byte[] dense =
        Files.readAllBytes(
            ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite"));
    long arena =
        io.fieldproof.model.footprint.Footprint.of(
                io.fieldproof.model.tflite.TfliteModel.read(dense))
            .arena()
            .totalBytes();
    // an arena the model alone fits with 10 % headroom, with room for the drift of 4 inputs only
    long announced = (long) Math.ceil((arena + 4 * 32) / 0.9) + 1;
    Member device = member("esp32-000000000001", new Capabilities(ALL, announced, 512 * 1024));

    assertThat(MemberFit.check(dense, List.of(device), 4).compatible()).hasSize(1);
    MemberFit.Result thirtyTwoInputs = MemberFit.check(dense, List.of(device), 32);
    assertThat(thirtyTwoInputs.compatible()).isEmpty();
    assertThat(thirtyTwoInputs.listed().get(0).message)
        .contains("1024 runtime state of the inputs");
  }

  @Test
  void theCaptureRingOfAGroupThatCapturesCountsAgainstTheAnnouncedArena() throws Exception {
    byte[] dense =
        Files.readAllBytes(
            ProjectPaths.root().resolve("model/fixtures/models/dense_anomaly.tflite"));
    long arena =
        io.fieldproof.model.footprint.Footprint.of(
                io.fieldproof.model.tflite.TfliteModel.read(dense))
            .arena()
            .totalBytes();
    long ring = io.fieldproof.model.footprint.RuntimeState.captureBytes(4, 30, 30);
    assertThat(ring).isEqualTo(61 * (12 + 9 * 4));
    // room for the model and the drift of 4 inputs, not for a ring of 61 samples as well
    long announced = (long) Math.ceil((arena + 4 * 32) / 0.9) + 1;
    Member device = member("esp32-000000000001", new Capabilities(ALL, announced, 512 * 1024));

    assertThat(MemberFit.check(dense, List.of(device), 4, 0).compatible()).hasSize(1);
    MemberFit.Result capturing = MemberFit.check(dense, List.of(device), 4, ring);
    assertThat(capturing.compatible()).isEmpty();
    assertThat(capturing.listed().get(0).message)
        .contains((4 * 32 + ring) + " runtime state of the inputs");
  }
}
