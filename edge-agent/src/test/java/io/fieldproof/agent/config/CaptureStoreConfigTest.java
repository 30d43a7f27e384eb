package io.fieldproof.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The captureStore section of the agent's configuration: where captured windows are uploaded. */
class CaptureStoreConfigTest {

  private static final String BASE =
      """
      gateway: gw-1
      namespace: plant-a
      broker:
        uri: tcp://127.0.0.1:1883
      stateDir: state
      trust: {allowUnsigned: true}
      devices: []
      """;

  @TempDir Path dir;

  @Test
  void withoutTheSectionNothingIsUploaded() throws IOException {
    assertThat(load(BASE, Map.of()).captureStore()).isNull();
  }

  @Test
  void theKeyComesFromFilesAsASecretMountsThem() throws IOException {
    Files.createDirectories(dir.resolve("store"));
    Files.writeString(dir.resolve("store/accessKeyId"), "AKIDGW1\n");
    Files.writeString(dir.resolve("store/secretAccessKey"), "s3cr3t-value\n");

    AgentConfig.CaptureStore store =
        load(
                BASE
                    + """
                    captureStore:
                      endpoint: http://127.0.0.1:8333
                      bucket: fieldproof-captures
                      accessKeyIdFile: store/accessKeyId
                      secretAccessKeyFile: store/secretAccessKey
                      spoolBytes: 1048576
                      initialRetryDelay: 500ms
                      maxRetryDelay: 2m
                    """,
                Map.of())
            .captureStore();

    assertThat(store.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8333"));
    assertThat(store.bucket()).isEqualTo("fieldproof-captures");
    assertThat(store.region()).isEqualTo("us-east-1");
    assertThat(store.accessKeyId()).isEqualTo("AKIDGW1");
    assertThat(new String(store.secretAccessKey())).isEqualTo("s3cr3t-value");
    assertThat(store.spoolBytes()).isEqualTo(1_048_576);
    assertThat(store.initialRetryDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(store.maxRetryDelay()).isEqualTo(Duration.ofMinutes(2));
    assertThat(store.toString()).doesNotContain("s3cr3t-value").contains("****");
  }

  @Test
  void theKeyCanComeFromTheEnvironmentWithDefaultsForTheRest() throws IOException {
    AgentConfig.CaptureStore store =
        load(
                BASE
                    + """
                    captureStore:
                      endpoint: https://s3.example.com
                      bucket: captures
                      region: eu-west-1
                      accessKeyId: AKIDGW1
                      secretAccessKeyEnv: FP_STORE_SECRET
                    """,
                Map.of("FP_STORE_SECRET", "from-env"))
            .captureStore();

    assertThat(store.region()).isEqualTo("eu-west-1");
    assertThat(new String(store.secretAccessKey())).isEqualTo("from-env");
    assertThat(store.spoolBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(store.initialRetryDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(store.maxRetryDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void theDemosOneLineFormParses() throws IOException {
    Files.createDirectories(dir.resolve("capture-store"));
    Files.writeString(dir.resolve("capture-store/accessKeyId"), "agent0a1b2c3d");
    Files.writeString(dir.resolve("capture-store/secretAccessKey"), "0123456789abcdef");
    Files.createDirectories(dir.resolve("gw-pumps"));
    Path file = dir.resolve("gw-pumps/agent.yaml");
    Files.writeString(
        file,
        BASE
            + "captureStore: {endpoint: http://127.0.0.1:8333, bucket: fieldproof-captures,"
            + " accessKeyIdFile: ../capture-store/accessKeyId, secretAccessKeyFile:"
            + " ../capture-store/secretAccessKey}\n");

    AgentConfig.CaptureStore store = new AgentConfigLoader(Map.of()).load(file).captureStore();

    assertThat(store.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8333"));
    assertThat(store.accessKeyId()).isEqualTo("agent0a1b2c3d");
    assertThat(new String(store.secretAccessKey())).isEqualTo("0123456789abcdef");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "endpoint: ftp://store | captureStore.endpoint: 'ftp://store' does not match",
        "bucket: Bad_Bucket | captureStore.bucket: 'Bad_Bucket' does not match",
        "region: 'EU WEST' | captureStore.region: 'EU WEST' does not match",
        "spoolBytes: 10 | captureStore.spoolBytes: '10' is not a byte count of at least 65536",
        "maxRetryDelay: 10ms | captureStore.initialRetryDelay: must be positive and at most",
        "secretAccessKeyEnv: UNSET | captureStore.secretAccessKeyEnv: environment variable UNSET",
        "secretAccessKeyFile: missing | captureStore.secretAccessKeyFile: cannot read",
      })
  void aBadValueIsReportedWithItsKey(String line, String problem) throws IOException {
    String section =
        """
        captureStore:
          endpoint: http://127.0.0.1:8333
          bucket: captures
          accessKeyId: AKIDGW1
        """;
    if (!line.startsWith("secretAccessKey")) {
      section += "  secretAccessKeyEnv: FP_STORE_SECRET\n";
    }
    String yaml = BASE + section.replaceAll("(?m)^  " + line.split(":")[0] + ":.*\\n", "");
    yaml += "  " + line + "\n";
    String config = yaml;

    assertThatThrownBy(() -> load(config, Map.of("FP_STORE_SECRET", "x")))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> assertThat(problems(e)).singleElement().asString().startsWith(problem));
  }

  @Test
  void aSectionWithoutItsKeyIsRefusedNamingWhatIsMissing() throws IOException {
    assertThatThrownBy(
            () -> load(BASE + "captureStore: {endpoint: 'http://127.0.0.1:8333'}\n", Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(problems(e))
                    .containsExactlyInAnyOrder(
                        "captureStore.bucket: required",
                        "captureStore.accessKeyIdFile or captureStore.accessKeyIdEnv: required (the"
                            + " store's access key, from a Secret)",
                        "captureStore.secretAccessKeyFile or captureStore.secretAccessKeyEnv:"
                            + " required (the store's access key, from a Secret)"));
  }

  private AgentConfig load(String yaml, Map<String, String> environment) throws IOException {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, yaml);
    return new AgentConfigLoader(environment).load(file);
  }

  private static List<String> problems(Throwable e) {
    List<String> lines = e.getMessage().lines().map(String::strip).toList();
    return lines.subList(1, lines.size());
  }
}
