package io.fieldproof.operator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.fleet.FleetIndex;
import io.fieldproof.operator.fleet.FleetLimits;
import io.fieldproof.protocol.Capabilities;
import io.fieldproof.protocol.DeviceInfo;
import io.fieldproof.protocol.DropReason;
import io.fieldproof.protocol.GatewayState;
import io.fieldproof.protocol.Health;
import io.fieldproof.protocol.MessageCodec;
import io.fieldproof.protocol.ReportedState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sends 12 000 seeded messages (malformed, wrongly typed, oversized, of another schema version,
 * spoofed, with impossible counters, past the caps) mixed with good ones into the operator's
 * inbound path: nothing escapes, the index stays within its caps, and every bad message is counted
 * under the reason it was sent for.
 */
class InboundRouterFuzzTest {

  private static final String NS = "plant-a";
  private static final FleetLimits LIMITS = new FleetLimits(50, 200, 20, 4, 10_000);
  private static final int MESSAGES = 12_000;
  private static final int CHURNING_GATEWAYS = 19;

  private final FleetIndex index = new FleetIndex(Clock.systemUTC(), LIMITS);
  private final InboundMetrics metrics = new InboundMetrics(new SimpleMeterRegistry());
  private final InboundRouter router = new InboundRouter(index, metrics, new DesiredCapture());
  private final Random random = new Random(14);
  private final Map<DropReason, Integer> expected = new EnumMap<>(DropReason.class);
  private final Map<String, long[]> counters = new HashMap<>();
  private final long[] churnSeq = new long[CHURNING_GATEWAYS];
  private long nextId = 1;

  @Test
  void badMessagesAreAllCountedByReasonAndTheIndexStaysBounded() {
    List<String> own = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      own.add(freshId());
    }
    good(stateTopic(NS, "gw-0"), birth("gw-0", 1, own));
    for (int g = 0; g < CHURNING_GATEWAYS; g++) {
      churn(g);
    }
    for (String ns : List.of("plant-b", "plant-c", "plant-d")) {
      good(stateTopic(ns, "gw-0"), birth("gw-0", 1, List.of()));
    }
    int bad = 0;
    for (int i = 0; i < MESSAGES; i++) {
      String device = own.get(random.nextInt(own.size()));
      switch (random.nextInt(14)) {
        case 0 -> bad(truncated(device), reportTopic(device), DropReason.MALFORMED_JSON);
        case 1 ->
            bad(
                "{\"v\":1,\"device\":\""
                    + device
                    + "\",\"gateway\":\"gw-0\",\"link\":\"connected\",\"observedGeneration\":{\"a\":1}}",
                reportTopic(device),
                DropReason.INVALID_FIELD);
        case 2 ->
            bad(
                "{\"v\":1,\"gateway\":\"gw-0\",\"status\":\"online\",\"seq\":\"abc\"}",
                stateTopic(NS, "gw-0"),
                DropReason.INVALID_FIELD);
        case 3 -> bad(oversized(device), reportTopic(device), DropReason.OVERSIZED);
        case 4 ->
            bad(
                "{\"v\":" + (2 + random.nextInt(100)) + ",\"device\":\"" + device + "\"}",
                reportTopic(device),
                DropReason.WRONG_SCHEMA_VERSION);
        case 5 ->
            bad(
                "{\"device\":\"" + device + "\"}",
                desiredTopic(device),
                DropReason.WRONG_SCHEMA_VERSION);
        case 6 ->
            bad(
                "{}",
                random.nextBoolean()
                    ? "fieldproof/v1/" + NS + "/dev/" + device + "/reported"
                    : "fieldproof/v2/" + NS + "/gw/gw-0/dev/../reported" + random.nextInt(),
                DropReason.UNKNOWN_TOPIC);
        case 7 ->
            bad(
                report(own.get((own.indexOf(device) + 1) % own.size()), "gw-0", 1_000, 10),
                reportTopic(device),
                DropReason.IDENTITY_MISMATCH);
        case 8 ->
            bad(
                report(device, "gw-spoof", 1_000, 10),
                random.nextBoolean()
                    ? reportTopic(device)
                    : "fieldproof/v2/" + NS + "/gw/gw-spoof/dev/" + device + "/reported",
                DropReason.IDENTITY_MISMATCH);
        case 9 -> {
          String stranger = freshId();
          bad(
              report(stranger, "gw-0", 1_000, 10),
              reportTopic(stranger),
              DropReason.UNKNOWN_DEVICE);
        }
        case 10 ->
            bad(
                report(device, "gw-0", random.nextBoolean() ? Long.MAX_VALUE : -5, 0),
                reportTopic(device),
                DropReason.IMPLAUSIBLE_COUNTER);
        case 11 -> {
          List<String> many = new ArrayList<>();
          for (int d = 0; d <= LIMITS.maxDevicesPerGateway(); d++) {
            many.add(freshId());
          }
          bad(birth("gw-0", 1L << 40, many), stateTopic(NS, "gw-0"), DropReason.OVER_LIMIT);
        }
        case 12 ->
            bad(
                birth("gw-spoof-" + i, 1, List.of("esp32-ffffffffffff")),
                stateTopic(random.nextBoolean() ? NS : "spoofed-" + i, "gw-spoof-" + i),
                DropReason.OVER_LIMIT);
        default -> {
          if (random.nextBoolean()) {
            churn(random.nextInt(CHURNING_GATEWAYS));
          } else {
            goodReport(device);
          }
          bad--;
        }
      }
      bad++;
    }

    assertThat(bad).isGreaterThanOrEqualTo(10_000);
    Map<DropReason, Integer> counted = new EnumMap<>(DropReason.class);
    for (DropReason reason : DropReason.values()) {
      int count = (int) metrics.droppedCount(reason);
      if (count > 0) {
        counted.put(reason, count);
      }
    }
    assertThat(counted).isEqualTo(expected);
    assertThat((long) metrics.droppedTotal()).isEqualTo(bad);
    assertThat(index.namespaces()).hasSizeLessThanOrEqualTo(LIMITS.maxNamespaces());
    assertThat(index.gatewayCount()).isLessThanOrEqualTo(4 * LIMITS.maxGatewaysPerNamespace());
    assertThat(index.devices(NS)).hasSizeLessThanOrEqualTo(LIMITS.maxDevicesPerNamespace());
    assertThat(index.deviceCount())
        .as("gw-0's ten and five per churning gateway: every id a churning gateway dropped is gone")
        .isEqualTo(10 + 5 * CHURNING_GATEWAYS);
  }

  private void bad(String payload, String topic, DropReason reason) {
    router.accept(topic, payload.getBytes(StandardCharsets.UTF_8));
    expected.merge(reason, 1, Integer::sum);
  }

  private void good(String topic, String payload) {
    double before = metrics.droppedTotal();
    router.accept(topic, payload.getBytes(StandardCharsets.UTF_8));
    assertThat(metrics.droppedTotal()).as("a good message on " + topic).isEqualTo(before);
  }

  /** A gateway announcing five fresh devices in every birth. */
  private void churn(int gateway) {
    List<String> ids = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      ids.add(freshId());
    }
    String gw = "gw-churn-" + gateway;
    good(stateTopic(NS, gw), birth(gw, ++churnSeq[gateway], ids));
  }

  private void goodReport(String device) {
    long[] state = counters.computeIfAbsent(device, d -> new long[2]);
    state[0] += 30_000;
    state[1] += 300;
    good(reportTopic(device), reportWithUptime(device, "gw-0", state[0], state[1], state[1] / 10));
  }

  private String truncated(String device) {
    String whole = report(device, "gw-0", 1_000, 10);
    return whole.substring(0, 1 + random.nextInt(whole.length() - 1));
  }

  private String oversized(String device) {
    String whole = report(device, "gw-0", 1_000, 10);
    return whole.substring(0, whole.length() - 1) + ",\"pad\":\"" + "x".repeat(33 * 1024) + "\"}";
  }

  private String freshId() {
    return String.format("esp32-%012x", nextId++);
  }

  private String report(String device, String gateway, long inferences, long alarms) {
    long[] state = counters.getOrDefault(device, new long[2]);
    return reportWithUptime(device, gateway, state[0] + 1, inferences, alarms);
  }

  private static String reportWithUptime(
      String device, String gateway, long uptimeMs, long inferences, long alarms) {
    return new String(
        MessageCodec.encode(
            new ReportedState(
                1,
                device,
                gateway,
                ReportedState.Link.CONNECTED,
                1,
                null,
                null,
                "Idle",
                null,
                Health.builder().uptimeMs(uptimeMs).inferences(inferences).alarms(alarms).build())),
        StandardCharsets.UTF_8);
  }

  private static String birth(String gateway, long seq, List<String> ids) {
    List<DeviceInfo> devices = new ArrayList<>();
    for (String id : ids) {
      devices.add(new DeviceInfo(id, "esp32", "rt-1", new Capabilities(List.of(), 1, 1), Map.of()));
    }
    return new String(
        MessageCodec.encode(GatewayState.birth(gateway, seq, "fuzz", devices, 0)),
        StandardCharsets.UTF_8);
  }

  private static String stateTopic(String ns, String gateway) {
    return "fieldproof/v2/" + ns + "/gw/" + gateway + "/state";
  }

  private static String reportTopic(String device) {
    return "fieldproof/v2/" + NS + "/gw/gw-0/dev/" + device + "/reported";
  }

  private static String desiredTopic(String device) {
    return "fieldproof/v2/" + NS + "/gw/gw-0/dev/" + device + "/desired";
  }
}
