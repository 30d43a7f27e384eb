package io.fieldproof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.protocol.signing.Ed25519Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentConfigLoaderTest {

  private static final String PASSWORD = "s3cret-Pa55word";
  private static final String TRUST_REQUIRED =
      "trust.publicKeys: required, the operator's Ed25519 public key (PEM or a file): an agent"
          + " acts only on desired states the operator signed (trust.allowUnsigned: true turns"
          + " this off, for development only)";

  @TempDir Path dir;

  private final KeyPair current = pair();
  private final KeyPair next = pair();

  @Test
  void aFullConfigurationParses() throws IOException {
    write("conf/keys/operator.pub.pem", Ed25519Keys.pem(current.getPublic()));
    Path file =
        write(
            "conf/agent.yaml",
            """
            gateway: gw-plant-1
            namespace: factory-a
            broker:
              uri: ssl://mqtt.example.com:8883
              username: gw-plant-1
              passwordEnv: FP_MQTT_PASSWORD
              tls:
                caFile: certs/ca.pem
                verifyHostname: false
              sessionExpiry: 2h
              keepAlive: 15s
              initialReconnectDelay: 250ms
              maxReconnectDelay: 1m
            stateDir: ../state
            trust:
              publicKeys:
                - keys/operator.pub.pem
                - |
                  %s
            reportInterval: 5s
            spool:
              maxEvents: 500
            devices:
              - link: tcp://127.0.0.1:7001
                chip: esp32
                labels:
                  site: plant-1
                  line: 3
              - link: serial:/dev/ttyUSB0
                chip: stm32f4
                bootloader: serial:/dev/ttyUSB1?baud=115200&parity=even
            """
                .formatted(Ed25519Keys.pem(next.getPublic()).strip().replace("\n", "\n      ")));

    AgentConfig config = loader(Map.of("FP_MQTT_PASSWORD", PASSWORD)).load(file);

    assertThat(config.gateway()).isEqualTo("gw-plant-1");
    assertThat(config.trust())
        .isEqualTo(AgentConfig.Trust.keys(List.of(current.getPublic(), next.getPublic())));
    assertThat(config.namespace()).isEqualTo("factory-a");
    assertThat(config.stateDir()).isEqualTo(dir.resolve("state").toAbsolutePath());
    assertThat(config.reportInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.maxSpooledEvents()).isEqualTo(500);
    AgentConfig.Broker broker = config.broker();
    assertThat(broker.uri()).isEqualTo("ssl://mqtt.example.com:8883");
    assertThat(broker.username()).isEqualTo("gw-plant-1");
    assertThat(broker.password()).containsExactly(PASSWORD.toCharArray());
    assertThat(broker.caFile()).isEqualTo(dir.resolve("conf/certs/ca.pem").toAbsolutePath());
    assertThat(broker.verifyHostname()).isFalse();
    assertThat(broker.sessionExpiry()).isEqualTo(Duration.ofHours(2));
    assertThat(broker.keepAlive()).isEqualTo(Duration.ofSeconds(15));
    assertThat(broker.initialReconnectDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(broker.maxReconnectDelay()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.devices())
        .containsExactly(
            new AgentConfig.Device(
                "tcp://127.0.0.1:7001", "esp32", Map.of("site", "plant-1", "line", "3")),
            new AgentConfig.Device(
                "serial:/dev/ttyUSB0",
                "stm32f4",
                Map.of(),
                "serial:/dev/ttyUSB1?baud=115200&parity=even"));
    assertThat(config.devices().get(0).labels().keySet()).containsExactly("site", "line");
  }

  @Test
  void optionalSettingsTakeTheirDefaults() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
            stateDir: /var/lib/fieldproof
            trust: {allowUnsigned: true}
            devices: []
            """);

    AgentConfig config = loader(Map.of()).load(file);

    assertThat(config.stateDir()).isEqualTo(Path.of("/var/lib/fieldproof"));
    assertThat(config.reportInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxSpooledEvents()).isEqualTo(10_000);
    assertThat(config.devices()).isEmpty();
    AgentConfig.Broker broker = config.broker();
    assertThat(broker.username()).isNull();
    assertThat(broker.password()).isNull();
    assertThat(broker.caFile()).isNull();
    assertThat(broker.verifyHostname()).isTrue();
    assertThat(broker.sessionExpiry()).isEqualTo(Duration.ofHours(1));
    assertThat(broker.keepAlive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(broker.initialReconnectDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(broker.maxReconnectDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void thePasswordCanComeFromAFileNextToTheConfiguration() throws IOException {
    write("secrets/mqtt-password", PASSWORD + "\n");
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              passwordFile: secrets/mqtt-password
            stateDir: state
            trust: {allowUnsigned: true}
            devices: []
            """);

    AgentConfig config = loader(Map.of()).load(file);

    assertThat(config.broker().password()).containsExactly(PASSWORD.toCharArray());
  }

  @Test
  void thePasswordNeverAppearsInToString() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              username: gw-1
              passwordEnv: FP_MQTT_PASSWORD
            stateDir: state
            trust: {allowUnsigned: true}
            devices:
              - link: tcp://127.0.0.1:7001
            """);

    AgentConfig config = loader(Map.of("FP_MQTT_PASSWORD", PASSWORD)).load(file);

    assertThat(config.toString()).doesNotContain(PASSWORD).contains("password=****");
    assertThat(config.broker().toString())
        .doesNotContain(PASSWORD)
        .contains("username=gw-1", "password=****");
  }

  @Test
  void anInvalidConfigurationReportsEveryProblemWithItsKey() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            namespace: Factory_A
            broker:
              uri: mqtt.example.com
              passwordEnv: FP_UNSET_PASSWORD
              keepAlive: 30
            stateDir: state
            trust: {allowUnsigned: true}
            reportInterval: soon
            devices:
              - link: http://10.0.0.1/device
              - link: tcp://127.0.0.1:7002
                bootloader: ftp://10.0.0.2
              - chip: esp32
            """);

    assertThatThrownBy(() -> loader(Map.of("FP_OTHER", "x")).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).isEqualTo("gateway: required"),
                        p -> assertThat(p).startsWith("namespace: 'Factory_A' does not match"),
                        p -> assertThat(p).startsWith("broker.uri: 'mqtt.example.com' does not"),
                        p ->
                            assertThat(p)
                                .isEqualTo(
                                    "broker.passwordEnv: environment variable FP_UNSET_PASSWORD"
                                        + " is not set"),
                        p -> assertThat(p).startsWith("broker.keepAlive: '30' is not a duration"),
                        p -> assertThat(p).startsWith("reportInterval: 'soon' is not a duration"),
                        p -> assertThat(p).startsWith("devices[0].link: 'http://10.0.0.1/device'"),
                        p ->
                            assertThat(p)
                                .isEqualTo(
                                    "devices[1].bootloader: expected tcp://host:port or"
                                        + " serial:/dev/..."),
                        p ->
                            assertThat(p)
                                .isEqualTo(
                                    "devices[1].chip: required with a bootloader line (it picks"
                                        + " the protocol)"),
                        p -> assertThat(p).isEqualTo("devices[2].link: required")));
  }

  @Test
  void labelsOutsideTheGrammarAndReservedLabelsAreRefused() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: plant-a
            broker: {uri: tcp://127.0.0.1:1883}
            stateDir: state
            trust: {allowUnsigned: true}
            devices:
              - link: tcp://127.0.0.1:7001
                labels: {line: "a b", fieldproof.io/gateway: gw-2, site: north}
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .containsExactlyInAnyOrder(
                        "devices[0].labels: label line has a value that is not a Kubernetes label"
                            + " value",
                        "devices[0].labels: fieldproof.io/gateway is reserved: the operator sets"
                            + " fieldproof.io/ labels"));
  }

  @Test
  void missingSectionsAreReportedTogether() throws IOException {
    Path file = write("agent.yaml", "gateway: gw-1\n");

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .containsExactlyInAnyOrder(
                        "namespace: required",
                        "broker.uri: required",
                        "stateDir: required (a folder the agent owns, kept across restarts)",
                        "devices: required, a list of attached devices",
                        TRUST_REQUIRED));
  }

  @Test
  void anUnreadablePasswordFileIsAProblem() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              passwordFile: missing-password
            stateDir: state
            trust: {allowUnsigned: true}
            devices: []
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .containsExactly(
                        "broker.passwordFile: cannot read " + dir.resolve("missing-password")));
  }

  @Test
  void aPasswordWrittenInTheYamlIsRefusedNotIgnored() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
              username: plant.gw-1
              password: hunter2
            stateDir: state
            trust: {allowUnsigned: true}
            devices: []
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .singleElement()
                    .asString()
                    .startsWith("broker.password: a password is never read from the YAML")
                    .doesNotContain("hunter2"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "reportInterval: 0s            | reportInterval: must be positive",
        "reportInterval: 99999999999s  | reportInterval: '99999999999s' is not a duration",
        "reportInterval: -5s           | reportInterval: '-5s' is not a duration",
        "spool: {maxEvents: 0}         | spool.maxEvents: must be at least 1",
        "spool: {maxEvents: lots}      | spool.maxEvents: 'lots' is not a whole number",
        "spool: {maxEvents: 2.5}       | spool.maxEvents: '2.5' is not a whole number",
      })
  void aBadValueIsReportedNotIgnoredOrThrown(String line, String problem) throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
            stateDir: state
            trust: {allowUnsigned: true}
            devices: []
            """
                + line
                + "\n");

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> assertThat(problems(e)).singleElement().asString().startsWith(problem));
  }

  @Test
  void anEmptyFileOrAListIsNotAConfiguration() throws IOException {
    Path empty = write("empty.yaml", "");
    Path list = write("list.yaml", "- gateway: gw-1\n");

    assertThatThrownBy(() -> loader(Map.of()).load(empty))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("empty or not a YAML mapping");
    assertThatThrownBy(() -> loader(Map.of()).load(list))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(list.toString())
        .hasMessageContaining("empty or not a YAML mapping");
  }

  @Test
  void withoutTrustedKeysTheAgentDoesNotStart() throws IOException {
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
            stateDir: state
            devices: []
            """);

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .singleElement()
                    .asString()
                    .startsWith("trust.publicKeys: required, the operator's Ed25519 public key")
                    .contains("trust.allowUnsigned: true"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "trust: {publicKeys: [missing.pem]}          | trust.publicKeys[0]: cannot read",
        "trust: {publicKeys: [not a key]}            | trust.publicKeys[0]: cannot read",
        "trust: {publicKeys: key.pem}                | trust.publicKeys: a list of PEM",
        "trust: {publicKeys: [rsa.pem]}              | trust.publicKeys[0]: no '-----BEGIN PUBLIC",
        "trust: {publicKeys: [k.pem], allowUnsigned: true} | trust: publicKeys and allowUnsigned",
      })
  void aBadTrustSectionIsReported(String line, String problem) throws IOException {
    write("rsa.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    write("k.pem", Ed25519Keys.pem(current.getPublic()));
    Path file =
        write(
            "agent.yaml",
            """
            gateway: gw-1
            namespace: default
            broker:
              uri: tcp://127.0.0.1:1883
            stateDir: state
            devices: []
            """
                + line
                + "\n");

    assertThatThrownBy(() -> loader(Map.of()).load(file))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> assertThat(problems(e)).singleElement().asString().startsWith(problem));
  }

  private static KeyPair pair() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AgentConfigLoader loader(Map<String, String> environment) {
    return new AgentConfigLoader(environment);
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  /** The problem lines of an {@link InvalidConfigException}, without its heading. */
  private static List<String> problems(Throwable e) {
    List<String> lines = e.getMessage().lines().map(String::strip).toList();
    assertThat(lines.get(0)).isEqualTo("invalid agent configuration:");
    return lines.subList(1, lines.size());
  }
}
