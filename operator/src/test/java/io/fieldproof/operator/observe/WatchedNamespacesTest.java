package io.fieldproof.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatchedNamespacesTest {

  @Test
  void nothingConfiguredOrTheSdksMarkerMeansEveryNamespace() {
    assertThat(WatchedNamespaces.of(Optional.empty(), "ops").all()).isTrue();
    assertThat(WatchedNamespaces.of(Optional.of("JOSDK_ALL_NAMESPACES"), "ops").all()).isTrue();
    assertThat(WatchedNamespaces.of(Optional.of("QOSDK_USE_BUILDTIME_NAMESPACES"), "ops").all())
        .isTrue();
  }

  @Test
  void aListIsReadAsTheChartWritesItAndTheCurrentMarkerIsThePodsNamespace() {
    WatchedNamespaces watched =
        WatchedNamespaces.of(Optional.of("plant-a, plant-b,JOSDK_WATCH_CURRENT,plant-a"), "ops");

    assertThat(watched.all()).isFalse();
    assertThat(watched.names()).containsExactly("plant-a", "plant-b", "ops");
  }
}
