package io.fieldproof.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetCliTest {

  @Test
  void anExportSelectsByGroupModelTriggerAndLabels() {
    DatasetCli.Arguments args =
        DatasetCli.Arguments.parse(
            new String[] {
              "export",
              "-n",
              "plant-a",
              "--group",
              "pumps",
              "--model",
              "a".repeat(64),
              "--trigger",
              "alarm",
              "--label",
              "falseAlarm",
              "--label",
              "unlabeled",
              "--out",
              "/tmp/ds"
            });

    assertThat(args.query())
        .isEqualTo(
            new DatasetQuery(
                "plant-a", "pumps", "a".repeat(64), "alarm", Set.of("falseAlarm", "unlabeled")));
    assertThat(args.out()).isEqualTo(Path.of("/tmp/ds"));
    assertThat(args.query().selects("falseAlarm")).isTrue();
    assertThat(args.query().selects("trueAlarm")).isFalse();
  }

  @Test
  void whatIsNotAQueryIsRefusedNamingTheFlag() {
    assertThatThrownBy(
            () -> parse("export", "-n", "a", "-g", "b", "--out", "d", "--label", "maybe"))
        .hasMessageContaining("--label is one of");
    assertThatThrownBy(() -> parse("export", "-n", "a", "-g", "b", "--out", "d", "--model", "abc"))
        .hasMessageContaining("--model takes a sha256");
    assertThatThrownBy(() -> parse("export", "-n", "a", "--out", "d"))
        .hasMessageContaining("--group");
    assertThatThrownBy(() -> parse("import")).hasMessageContaining("the only command is export");
  }

  @Test
  void aStoreWithoutCredentialsIsNamedBeforeAnythingIsRead() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DatasetCli.run(
            new String[] {"export", "-n", "a", "-g", "b", "--out", "d"},
            Map.of(
                "FIELDPROOF_STORE_ENDPOINT", "http://127.0.0.1:1", "FIELDPROOF_STORE_BUCKET", "c"),
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("FIELDPROOF_STORE_ACCESS_KEY_ID is not set");
  }

  private static DatasetCli.Arguments parse(String... args) {
    return DatasetCli.Arguments.parse(args);
  }
}
