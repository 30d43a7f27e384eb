package io.fieldproof.device.emulator.flash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fieldproof.device.protocol.slots.SectorMap;
import io.fieldproof.device.protocol.slots.SlotLayout;
import io.fieldproof.device.protocol.slots.SlotRecord;
import io.fieldproof.device.protocol.slots.SlotState;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModelSlotsTest {

  private static final int SECTOR = 4096;
  private static final int SLOT = 16 * SECTOR;

  private static byte[] model(long seed, int length) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private static final SlotLayout LAYOUT =
      new SlotLayout(
          "test",
          0,
          SectorMap.uniform(2 * SECTOR + 2 * SLOT, SECTOR),
          0,
          SECTOR,
          2 * SECTOR,
          2 * SECTOR + SLOT,
          SLOT);

  private static ModelSlots freshDevice() {
    return new ModelSlots(new EmulatedFlash(LAYOUT.sectors()), LAYOUT);
  }

  /** Writes a model into the inactive slot in 256-byte chunks, commits, boots it and confirms. */
  private static void update(ModelSlots slots, byte[] model, boolean confirm) {
    int slot = slots.inactiveSlot();
    slots.beginUpdate(slot);
    for (int offset = 0; offset < model.length; offset += 256) {
      slots.write(
          slot, offset, Arrays.copyOfRange(model, offset, Math.min(model.length, offset + 256)));
    }
    slots.commit(slot, model.length, ModelSlots.sha256(model), "m", "1");
    slots.boot();
    if (confirm) {
      slots.confirm();
    }
  }

  @Test
  void flashBehavesLikeNor() {
    EmulatedFlash flash = new EmulatedFlash(2 * SECTOR, SECTOR);
    assertThat(flash.read(0, 4)).containsOnly((byte) 0xFF);
    flash.write(0, new byte[] {0x0F}, 0, 1);
    flash.write(0, new byte[] {(byte) 0xF3}, 0, 1);
    assertThat(flash.read(0, 1)).containsExactly((byte) 0x03);
    assertThatThrownBy(() -> flash.erase(100, SECTOR)).hasMessageContaining("sector aligned");
    flash.erase(0, SECTOR);
    assertThat(flash.read(0, 1)).containsExactly((byte) 0xFF);
  }

  @Test
  void aNewModelBootsOnTrialAndStaysWhenConfirmed() {
    ModelSlots slots = freshDevice();
    assertThat(slots.boot()).isEmpty();
    byte[] first = model(1, 5000);
    update(slots, first, true);
    assertThat(slots.boot())
        .hasValueSatisfying(b -> assertThat(b.state()).isEqualTo(SlotState.VALID));
    assertThat(slots.activeModel()).hasValue(first);
  }

  @Test
  void aResetWhileOnTrialBootsThePreviousValidModel() {
    ModelSlots slots = freshDevice();
    byte[] first = model(1, 5000);
    byte[] second = model(2, 7000);
    update(slots, first, true);
    update(slots, second, false);
    assertThat(slots.activeModel()).hasValue(second);

    Optional<ModelSlots.Boot> afterReset = slots.boot();

    assertThat(afterReset).hasValueSatisfying(b -> assertThat(b.slot()).isEqualTo(ModelSlots.A));
    assertThat(slots.activeModel()).hasValue(first);
  }

  @Test
  void aRevertedModelNeverBootsAgain() {
    ModelSlots slots = freshDevice();
    byte[] first = model(1, 5000);
    update(slots, first, true);
    update(slots, model(2, 6000), false);

    slots.revert();

    assertThat(slots.activeModel()).hasValue(first);
    assertThat(slots.boot()).hasValueSatisfying(b -> assertThat(b.slot()).isEqualTo(ModelSlots.A));
  }

  @Test
  void everyChipLayoutFitsItsFlashAndRecordsRoundTrip() {
    for (String chip : new String[] {"esp32", "esp32s3", "stm32f4", "stm32l4"}) {
      SlotLayout layout = SlotLayout.forChip(chip);
      ModelSlots slots = new ModelSlots(new EmulatedFlash(layout.sectors()), layout);
      byte[] first = model(7, 4000);
      update(slots, first, true);
      assertThat(slots.record(ModelSlots.A))
          .hasValueSatisfying(
              r -> {
                assertThat(r.state()).isEqualTo(SlotState.VALID);
                assertThat(r.name()).isEqualTo("m");
                assertThat(r.sha256()).isEqualTo(ModelSlots.sha256(first));
              });
    }
    byte[] torn = new SlotRecord(3, SlotState.NEW, 10, new byte[32], "n", "v").encode();
    torn[20] ^= 1;
    assertThat(SlotRecord.decode(torn)).isEmpty();
  }

  @Test
  void aConfirmedModelCanBeRolledBackToThePreviousOne() {
    ModelSlots slots = freshDevice();
    byte[] first = model(1, 5000);
    update(slots, first, true);
    assertThatThrownBy(slots::revert).hasMessageContaining("no valid model");
    update(slots, model(2, 6000), true);

    slots.revert();

    assertThat(slots.activeModel()).hasValue(first);
  }

  @Test
  void aCorruptedWriteIsNeverCommitted() {
    ModelSlots slots = freshDevice();
    update(slots, model(1, 3000), true);
    int slot = slots.inactiveSlot();
    slots.beginUpdate(slot);
    byte[] second = model(2, 3000);
    byte[] corrupted = second.clone();
    corrupted[1234] ^= 0x10;
    slots.write(slot, 0, corrupted);

    assertThatThrownBy(() -> slots.commit(slot, second.length, ModelSlots.sha256(second), "m", "2"))
        .hasMessageContaining("digest mismatch");
    assertThat(slots.boot()).hasValueSatisfying(b -> assertThat(b.slot()).isEqualTo(ModelSlots.A));
  }

  @Test
  void aPowerCutAtAnyByteLeavesABootableModel() {
    byte[] first = model(1, 9000);
    byte[] second = model(2, 11000);
    byte[] third = model(3, 10000);
    long updateBytes = third.length + 3L * SlotRecord.BYTES;
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 50; i++) {
      long cut = random.nextLong(updateBytes + 1);
      EmulatedFlash flash = new EmulatedFlash(LAYOUT.sectors());
      ModelSlots slots = new ModelSlots(flash, LAYOUT);
      update(slots, first, true);
      update(slots, second, true);
      flash.cutPowerAfter(cut);
      try {
        update(slots, third, true);
      } catch (PowerLossException expected) {
        // the device lost power here; what matters is what it boots next
      }

      Optional<ModelSlots.Boot> boot = slots.boot();

      assertThat(boot).as("cut after %d bytes", cut).isPresent();
      byte[] running = slots.activeModel().orElseThrow();
      assertThat(Arrays.equals(running, second) || Arrays.equals(running, third))
          .as("cut after %d bytes: the running model is the previous or the new one, intact", cut)
          .isTrue();
    }
  }
}
