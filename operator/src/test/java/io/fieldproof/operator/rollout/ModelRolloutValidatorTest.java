package io.fieldproof.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelRolloutValidatorTest {

  @Test
  void recognisesTheTfliteIdentifier() {
    assertThat(ModelRolloutValidator.isTflite(new byte[] {0x1c, 0, 0, 0, 'T', 'F', 'L', '3', 0}))
        .isTrue();
    assertThat(
            ModelRolloutValidator.isTflite("not a model at all".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(ModelRolloutValidator.isTflite(new byte[] {0, 0, 0, 0, 'T', 'F'})).isFalse();
  }

  @Test
  void digestsAsLowerCaseHex() {
    assertThat(ModelRolloutValidator.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
