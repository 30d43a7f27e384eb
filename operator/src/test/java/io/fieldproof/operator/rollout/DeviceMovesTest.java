package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.fleet.DeviceEntry;
import io.fieldproof.operator.fleet.Presence;
import io.fieldproof.operator.rollout.progress.DeviceState;
import io.fieldproof.operator.rollout.progress.DeviceView;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which devices a pass tells to run the model: maxConcurrent and the retry backoff. */
class DeviceMovesTest {

  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  @Test
  void pendingDevicesStartOnlyWhileFewerThanMaxConcurrentAreBusy() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("d1", view("d1", DeviceState.IN_PROGRESS, 1, null));
    views.put("d2", view("d2", DeviceState.PENDING, 0, null));
    views.put("d3", view("d3", DeviceState.PENDING, 0, null));
    views.put("d4", view("d4", DeviceState.PENDING, 0, null));

    Map<String, Integer> sent =
        DeviceMoves.attempts(List.of("d1", "d2", "d3", "d4"), views, 3, NOW);

    assertThat(sent)
        .as("1 busy + 2 started = maxConcurrent 3, in rank order")
        .containsExactly(Map.entry("d2", 1), Map.entry("d3", 1));
  }

  @Test
  void busyDevicesOutsideTheCohortCountAgainstTheLimit() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("old", view("old", DeviceState.RETRYING, 1, NOW.plusSeconds(60)));
    views.put("d2", view("d2", DeviceState.PENDING, 0, null));

    assertThat(DeviceMoves.attempts(List.of("d2"), views, 1, NOW)).isEmpty();
    assertThat(DeviceMoves.attempts(List.of("d2"), views, 2, NOW))
        .containsExactly(Map.entry("d2", 1));
  }

  @Test
  void aRetryingDeviceGetsItsNextAttemptOnlyOnceItsBackoffRanOut() {
    Instant due = NOW.plusSeconds(10);
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("r", view("r", DeviceState.RETRYING, 2, due));

    assertThat(DeviceMoves.attempts(List.of("r"), views, 1, due.minusMillis(1))).isEmpty();
    assertThat(DeviceMoves.attempts(List.of("r"), views, 1, due))
        .as("the retry takes no new place: the device is busy already")
        .containsExactly(Map.entry("r", 3));
  }

  @Test
  void failedUpdatedAndOfflineDevicesAreNotSent() {
    Map<String, DeviceView> views = new LinkedHashMap<>();
    views.put("f", view("f", DeviceState.FAILED, 3, null));
    views.put("u", view("u", DeviceState.UPDATED, 1, null));
    views.put("o", view("o", DeviceState.OFFLINE, 0, null));

    assertThat(DeviceMoves.attempts(List.of("f", "u", "o"), views, 10, NOW)).isEmpty();
  }

  private static DeviceView view(String id, DeviceState state, int attempt, Instant retryAt) {
    DeviceEntry entry = new DeviceEntry("ns", id, Set.of("gw-1"), null, null, null, NOW);
    return new DeviceView(
        new Member(entry, Presence.ONLINE, null), state, attempt, null, null, retryAt, null);
  }
}
