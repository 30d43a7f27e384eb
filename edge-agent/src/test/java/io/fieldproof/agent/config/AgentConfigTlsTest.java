package io.fieldproof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.mqtt.MqttSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's client certificate and maximum packet size keys. */
class AgentConfigTlsTest {

  @TempDir Path dir;

  @Test
  void clientCertificateFilesAndPacketSizeAreRead() throws IOException {
    AgentConfig.Broker broker =
        load("""
              uri: ssl://mqtt.example.com:8883
              maximumPacketSize: 2097152
              tls:
                caFile: certs/ca.pem
                clientCertFile: certs/gw.crt
                clientKeyFile: certs/gw.key
            """)
            .broker();

    assertThat(broker.clientCertFile()).isEqualTo(dir.resolve("certs/gw.crt"));
    assertThat(broker.clientKeyFile()).isEqualTo(dir.resolve("certs/gw.key"));
    assertThat(broker.maximumPacketSize()).isEqualTo(2097152);
  }

  @Test
  void thePacketSizeDefaultsToOneMebibyte() throws IOException {
    assertThat(load("  uri: tcp://127.0.0.1:1883\n").broker().maximumPacketSize())
        .isEqualTo(MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE);
  }

  @Test
  void aCertificateWithoutItsKeyATooSmallPacketSizeAndTlsOnTcpAreEachNamed() {
    assertThatThrownBy(
            () ->
                load(
                    """
                      uri: tcp://mqtt.example.com:1883
                      maximumPacketSize: 1024
                      tls:
                        clientCertFile: certs/gw.crt
                    """))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("broker.tls: clientCertFile and clientKeyFile go together")
        .hasMessageContaining("broker.maximumPacketSize: '1024' is not a byte count")
        .hasMessageContaining("broker.tls: set, but broker.uri is not ssl://");
  }

  private AgentConfig load(String broker) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        "gateway: gw-1\nnamespace: fleet\nbroker:\n"
            + broker
            + "stateDir: state\ntrust: {allowUnsigned: true}\ndevices:\n  - link: tcp://127.0.0.1:7001\n");
    return new AgentConfigLoader(Map.of()).load(file);
  }
}
