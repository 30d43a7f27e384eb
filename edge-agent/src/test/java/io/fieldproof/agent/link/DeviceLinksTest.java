package io.fieldproof.agent.link;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceLinksTest {

  @Test
  void namesAMissingSerialDeviceAndABadSpeed() {
    assertThatThrownBy(
            () -> DeviceLinks.open("serial:/dev/ttyFIELDPROOF9?baud=115200", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("/dev/ttyFIELDPROOF9")
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> DeviceLinks.open("serial:/dev/null?baud=12345", Duration.ofSeconds(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("baud 12345");
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
