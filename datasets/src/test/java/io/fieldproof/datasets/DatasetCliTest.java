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
    DatasetCommand args =
        DatasetCommand.parse(
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
    assertThat(args.verb()).isEqualTo(DatasetCommand.Verb.EXPORT);
    assertThat(args.out()).isEqualTo(Path.of("/tmp/ds"));
    assertThat(args.storeSecret()).isNull();
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
    assertThatThrownBy(() -> parse("export", "-n", "a", "-g", "b"))
        .hasMessageContaining("export needs --out");
    assertThatThrownBy(() -> parse("export", "-n", "a", "-g", "b", "--out", "d", "--colour", "x"))
        .hasMessageContaining("unknown flag --colour");
    assertThatThrownBy(() -> parse("import"))
        .hasMessageContaining("unknown command import: the commands are export and list");
    assertThatThrownBy(() -> parse()).hasMessageContaining("the commands are export and list");
  }

  @Test
  void aListSelectsLikeAnExportAndWritesNoFolder() {
    DatasetCommand args =
        parse("list", "-n", "plant-a", "-g", "pumps", "--trigger", "drift", "--label", "unlabeled");

    assertThat(args.verb()).isEqualTo(DatasetCommand.Verb.LIST);
    assertThat(args.query())
        .isEqualTo(new DatasetQuery("plant-a", "pumps", null, "drift", Set.of("unlabeled")));
    assertThat(args.out()).isNull();
  }

  @Test
  void whatIsNotAListIsRefusedNamingTheFlag() {
    assertThatThrownBy(() -> parse("list", "-n", "a", "-g", "b", "--out", "d"))
        .hasMessageContaining("list takes no --out");
    assertThatThrownBy(() -> parse("list", "-g", "b"))
        .hasMessageContaining("--namespace and --group are required");
    assertThatThrownBy(() -> parse("list", "-n", "a", "-g", "b", "--trigger", "panic"))
        .hasMessageContaining("--trigger is one of");
    assertThatThrownBy(() -> parse("list", "-n", "a", "-g", "b", "--label"))
        .hasMessageContaining("--label needs a value");
  }

  @Test
  void theStoreSecretIsNamedForEitherCommandAndMustBeASecretsName() {
    assertThat(
            parse("list", "-n", "a", "-g", "b", "--store-secret", "capture-reader").storeSecret())
        .isEqualTo("capture-reader");
    assertThat(
            parse("export", "-n", "a", "-g", "b", "--store-secret", "reader.v2", "--out", "d")
                .storeSecret())
        .isEqualTo("reader.v2");
    assertThatThrownBy(() -> parse("list", "-n", "a", "-g", "b", "--store-secret"))
        .hasMessageContaining("--store-secret needs a value");
    assertThatThrownBy(
            () -> parse("list", "-n", "a", "-g", "b", "--store-secret", "Capture_Reader"))
        .hasMessageContaining("--store-secret takes a Secret's name")
        .hasMessageContaining("Capture_Reader");
  }

  @Test
  void aBadCommandLineExitsWithTwoAndTheUsageOnStderrOnly() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        DatasetCli.run(
            new String[] {"list", "-n", "a", "-g", "b", "--out", "d"},
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("error: list takes no --out")
        .contains("fieldproof-dataset list SELECTION [--store-secret NAME]");
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

  private static DatasetCommand parse(String... args) {
    return DatasetCommand.parse(args);
  }
}
