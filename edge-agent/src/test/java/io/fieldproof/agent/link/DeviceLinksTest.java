package io.fieldproof.agent.link;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceLinksTest {

  @Test
  void explainsThatSerialLinesGoThroughATcpBridge() {
    assertThatThrownBy(
            () -> DeviceLinks.open("serial:/dev/ttyUSB0?baud=115200", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("TCP bridge")
        .hasMessageContaining("ser2net")
        .hasMessageContaining("/dev/ttyUSB0");
  }

  @Test
  void rejectsOtherSchemesAndMissingPorts() {
    assertThatThrownBy(() -> DeviceLinks.open("udp://127.0.0.1:7001", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("tcp://host:port");
    assertThatThrownBy(() -> DeviceLinks.open("tcp://127.0.0.1", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void reportsAnUnreachableDeviceAsDisconnected() {
    assertThatThrownBy(() -> DeviceLinks.open("tcp://127.0.0.1:1", Duration.ofSeconds(1)))
        .isInstanceOf(DeviceLinkException.class)
        .extracting(e -> ((DeviceLinkException) e).failure())
        .isEqualTo(DeviceLinkException.Failure.DISCONNECTED);
  }
}
