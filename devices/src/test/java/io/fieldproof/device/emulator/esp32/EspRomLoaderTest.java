package io.fieldproof.device.emulator.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.esp32.RomHost.Reply;
import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.protocol.slots.SlotLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class EspRomLoaderTest {

  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x11, 0x22, 0x33};
  private static final int SPI = 0x3FF42000;
  private static final int SLOT = 0x210000;
  private static final int FLASH_BEGIN = 0x02;
  private static final int FLASH_DATA = 0x03;
  private static final int READ_REG = 0x0A;
  private static final int WRITE_REG = 0x09;
  private static final int SPI_ATTACH = 0x0D;
  private static final int FLASH_DEFL_BEGIN = 0x10;
  private static final int FLASH_DEFL_DATA = 0x11;
  private static final int SPI_FLASH_MD5 = 0x13;

  private final EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
  private final RecordingPort port = new RecordingPort();
  private final RomLoaderCounters counters = new RomLoaderCounters();
  private final EspRomLoader loader = new EspRomLoader(port, flash, MAC, counters);

  private static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new SplittableRandom(seed).nextBytes(bytes);
    return bytes;
  }

  private List<Reply> send(byte[]... frames) {
    for (byte[] frame : frames) {
      loader.received(frame, 0, frame.length);
    }
    return RomHost.replies(port.take());
  }

  private Reply one(byte[] frame) {
    List<Reply> replies = send(frame);
    assertThat(replies).hasSize(1);
    return replies.get(0);
  }

  private void syncAndAttach() {
    send(RomHost.sync());
    assertThat(one(RomHost.command(SPI_ATTACH, 0, 0)).status()).isZero();
  }

  @Test
  void answersNothingBeforeSync() {
    assertThat(send(RomHost.command(READ_REG, 0x40001000))).isEmpty();
    assertThat(counters.droppedFrames()).isEqualTo(1);
  }

  @Test
  void syncIsAnsweredEightTimesWithTheRomsValue() {
    List<Reply> replies = send(RomHost.sync());

    assertThat(replies).hasSize(8);
    assertThat(replies)
        .allSatisfy(
            reply -> {
              assertThat(reply.op()).isEqualTo(0x08);
              assertThat(reply.value()).isEqualTo(0x20120707);
              assertThat(reply.status()).isZero();
            });
  }

  @Test
  void registersHoldTheChipMagicAndTheMacInTheEfuses() {
    send(RomHost.sync());

    assertThat(one(RomHost.command(READ_REG, 0x40001000)).value()).isEqualTo(0x00F01D83);
    assertThat(one(RomHost.command(READ_REG, 0x3FF5A004)).value()).isEqualTo(0xC4112233);
    assertThat(one(RomHost.command(READ_REG, 0x3FF5A008)).value() & 0xFFFF).isEqualTo(0x240A);
    assertThat(one(RomHost.command(READ_REG, 0x3FF40014)).value()).isEqualTo(40_000_000 / 115_200);
  }

  @Test
  void getSecurityInfoFailsAsOnAnEsp32() {
    send(RomHost.sync());

    Reply reply = one(RomHost.command(0x14, new byte[0], 0));

    assertThat(reply.op()).isEqualTo(0x14);
    assertThat(reply.status()).isEqualTo(1);
    assertThat(reply.error()).isEqualTo(0x05);
  }

  @Test
  void spiUserCommandReadsTheJedecIdAndSfdp() {
    send(RomHost.sync());
    one(
        RomHost.command(
            WRITE_REG,
            SPI + 0x2C,
            23,
            -1,
            0,
            SPI + 0x1C,
            1 << 31 | 1 << 28,
            -1,
            0,
            SPI + 0x24,
            7 << 28 | 0x9F,
            -1,
            0,
            SPI + 0x80,
            0,
            -1,
            0,
            SPI,
            1 << 18,
            -1,
            0));

    assertThat(one(RomHost.command(READ_REG, SPI)).value() & 1 << 18).isZero();
    assertThat(one(RomHost.command(READ_REG, SPI + 0x80)).value()).isEqualTo(0x1640EF);

    one(
        RomHost.command(
            WRITE_REG,
            SPI + 0x2C,
            31,
            -1,
            0,
            SPI + 0x20,
            23 << 26 | 7,
            -1,
            0,
            SPI + 0x1C,
            1 << 31 | 1 << 30 | 1 << 29 | 1 << 28,
            -1,
            0,
            SPI + 0x24,
            7 << 28 | 0x5A,
            -1,
            0,
            SPI + 0x04,
            0,
            -1,
            0,
            SPI,
            1 << 18,
            -1,
            0));
    assertThat(one(RomHost.command(READ_REG, SPI + 0x80)).value()).isEqualTo(0x50444653);
  }

  @Test
  void flashCommandsWaitForSpiAttach() {
    send(RomHost.sync());

    Reply reply = one(RomHost.command(FLASH_BEGIN, 0x1000, 4, 0x400, SLOT));

    assertThat(reply.status()).isEqualTo(1);
    assertThat(reply.error()).isEqualTo(0x06);
  }

  @Test
  void writesPlainBlocksAndHashesThemInLowerCaseHex() throws Exception {
    syncAndAttach();
    byte[] image = random(2048, 1);

    assertThat(one(RomHost.command(FLASH_BEGIN, 2048, 2, 0x400, SLOT)).status()).isZero();
    assertThat(one(RomHost.block(FLASH_DATA, 0, Arrays.copyOf(image, 1024), 0)).status()).isZero();
    assertThat(one(RomHost.block(FLASH_DATA, 1, Arrays.copyOfRange(image, 1024, 2048), 0)).status())
        .isZero();
    Reply md5 = one(RomHost.command(SPI_FLASH_MD5, SLOT, 2048, 0, 0));

    assertThat(flash.read(SLOT, 2048)).isEqualTo(image);
    assertThat(new String(md5.data(), StandardCharsets.US_ASCII))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(image)));
  }

  @Test
  void badChecksumIsRefusedWith0x07AndWritesNothing() {
    syncAndAttach();
    one(RomHost.command(FLASH_BEGIN, 1024, 1, 0x400, SLOT));

    Reply reply = one(RomHost.block(FLASH_DATA, 0, random(1024, 2), 0x01));

    assertThat(reply.status()).isEqualTo(1);
    assertThat(reply.error()).isEqualTo(0x07);
    assertThat(flash.read(SLOT, 1024)).containsOnly((byte) 0xFF);
    assertThat(counters.refusedCommands()).isEqualTo(1);
  }

  @Test
  void blocksOutOfSequenceAreRefusedAndAResentBlockIsNotAppliedTwice() {
    syncAndAttach();
    byte[] first = random(1024, 3);
    one(RomHost.command(FLASH_BEGIN, 2048, 2, 0x400, SLOT));

    Reply skipped = one(RomHost.block(FLASH_DATA, 1, first, 0));
    Reply accepted = one(RomHost.block(FLASH_DATA, 0, first, 0));
    Reply resent = one(RomHost.block(FLASH_DATA, 0, first, 0));
    Reply sameSeqOtherBytes = one(RomHost.block(FLASH_DATA, 0, random(1024, 4), 0));

    assertThat(skipped.status()).isEqualTo(1);
    assertThat(skipped.error()).isEqualTo(0x06);
    assertThat(accepted.status()).isZero();
    assertThat(resent.status()).isZero();
    assertThat(sameSeqOtherBytes.status()).isEqualTo(1);
    assertThat(flash.read(SLOT, 1024)).isEqualTo(first);
    assertThat(flash.read(SLOT + 1024, 1024)).containsOnly((byte) 0xFF);
  }

  @Test
  void blocksBeyondTheErasedRangeAndWithOldDataOnlyClearBits() {
    flash.write(SLOT + 0x1000, filled(0x1000, 0x0F), 0, 0x1000);
    syncAndAttach();

    one(RomHost.command(FLASH_BEGIN, 0x1000, 8, 0x400, SLOT));
    for (int seq = 0; seq < 8; seq++) {
      assertThat(one(RomHost.block(FLASH_DATA, seq, filled(0x400, 0xF3), 0)).status()).isZero();
    }

    assertThat(flash.read(SLOT, 0x1000)).containsOnly((byte) 0xF3);
    assertThat(flash.read(SLOT + 0x1000, 0x1000)).containsOnly((byte) 0x03);
  }

  @Test
  void compressedBlocksInflateOntoFlashAndAResendIsHarmless() {
    syncAndAttach();
    byte[] image = new byte[8000];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i % 251 < 200 ? 0 : i);
    }
    byte[] stream = deflate(image);
    int blocks = (stream.length + 0x3FF) / 0x400;
    one(RomHost.command(FLASH_DEFL_BEGIN, 8 * 1024, blocks, 0x400, SLOT));

    for (int seq = 0; seq < blocks; seq++) {
      byte[] block =
          Arrays.copyOfRange(stream, seq * 0x400, Math.min(stream.length, (seq + 1) * 0x400));
      assertThat(one(RomHost.block(FLASH_DEFL_DATA, seq, block, 0)).status()).isZero();
      assertThat(one(RomHost.block(FLASH_DEFL_DATA, seq, block, 0)).status()).isZero();
    }

    assertThat(flash.read(SLOT, image.length)).isEqualTo(image);
    assertThat(flash.read(SLOT + image.length, 100)).containsOnly((byte) 0xFF);
  }

  @Test
  void readFlashSlowAnswersSixtyFourBytesAndRefusesMore() {
    byte[] stored = random(64, 5);
    flash.write(SLOT, stored, 0, 64);
    syncAndAttach();

    Reply read = one(RomHost.command(0x0E, SLOT, 10));
    Reply tooLong = one(RomHost.command(0x0E, SLOT, 65));
    Reply outside = one(RomHost.command(0x0E, flash.size() - 8, 16));

    assertThat(read.data()).hasSize(64).startsWith(Arrays.copyOf(stored, 10));
    assertThat(tooLong.error()).isEqualTo(0x0A);
    assertThat(outside.error()).isEqualTo(0x09);
  }

  @Test
  void outOfRangeAndMisalignedDownloadsAreRefused() {
    syncAndAttach();

    Reply pastTheEnd = one(RomHost.command(FLASH_BEGIN, 0x2000, 8, 0x400, flash.size() - 0x1000));
    Reply misaligned = one(RomHost.command(FLASH_BEGIN, 0x400, 1, 0x400, SLOT + 0x400));

    assertThat(pastTheEnd.status()).isEqualTo(1);
    assertThat(misaligned.status()).isEqualTo(1);
    assertThat(flash.read(flash.size() - 0x1000, 0x1000)).containsOnly((byte) 0xFF);
  }

  @Test
  void malformedFramesAreDroppedOrRefusedAndCountedWithoutStoppingTheLoader() {
    send(RomHost.sync());
    byte[] truncated = RomHost.command(READ_REG, 0x40001000);
    byte[] lyingSize = Arrays.copyOf(truncated, truncated.length);
    lyingSize[3] = 9;

    List<Reply> replies =
        send(
            new byte[] {0x11, 0x22},
            new byte[] {(byte) 0xC0, 0x00, 0x0A, (byte) 0xC0},
            new byte[] {(byte) 0xC0, 0x01, 0x0A, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xC0},
            new byte[] {(byte) 0xC0, 0x00, 0x0A, (byte) 0xDB, 0x00, (byte) 0xC0},
            new byte[40_000],
            lyingSize,
            RomHost.command(0x20, 0, 0, 0, 0),
            RomHost.command(READ_REG, 1, 2),
            RomHost.command(READ_REG, 0x40001000));

    assertThat(replies).extracting(Reply::error).containsExactly(0x05, 0x05, 0x05, 0);
    assertThat(replies.get(3).value()).isEqualTo(0x00F01D83);
    assertThat(counters.malformedCommands()).isEqualTo(3);
    assertThat(counters.droppedFrames()).isEqualTo(5);
  }

  @Test
  void randomBytesAndMangledCommandsNeverBreakTheLoader() {
    syncAndAttach();
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 3000; i++) {
      int op = random.nextInt(0x20);
      if (op == 0x04 || op == 0x12) {
        continue;
      }
      int[] words = new int[random.nextInt(8)];
      for (int w = 0; w < words.length; w++) {
        words[w] = random.nextBoolean() ? random.nextInt() : random.nextInt(0x500000);
      }
      byte[] frame =
          random.nextInt(4) == 0
              ? random(random.nextInt(1, 200), random.nextLong())
              : RomHost.command(op, RomHost.words(words), random.nextInt());
      loader.received(frame, 0, frame.length);
    }

    assertThat(RomHost.replies(port.take())).isNotEmpty();
    assertThat(one(RomHost.command(READ_REG, 0x40001000)).value()).isEqualTo(0x00F01D83);
  }

  @Test
  void changeBaudAnswersAtTheOldRateThenSwitches() {
    send(RomHost.sync());
    port.events().clear();

    Reply reply = one(RomHost.command(0x0F, 921_600, 0));

    assertThat(reply.status()).isZero();
    assertThat(port.events()).containsExactly("send 14", "baud 921600");
    assertThat(one(RomHost.command(READ_REG, 0x3FF40014)).value()).isEqualTo(40_000_000 / 921_600);
  }

  @Test
  void aPowerCutSilencesTheLoaderForTheRestOfTheConnection() {
    syncAndAttach();
    one(RomHost.command(FLASH_BEGIN, 2048, 2, 0x400, SLOT));
    flash.cutPowerAfter(100);

    List<Reply> replies =
        send(
            RomHost.block(FLASH_DATA, 0, random(1024, 6), 0),
            RomHost.sync(),
            RomHost.command(READ_REG, 0x40001000));

    assertThat(replies).isEmpty();
    assertThat(flash.read(SLOT + 100, 924)).containsOnly((byte) 0xFF);
  }

  @Test
  void flashEndLeavesTheLoader() {
    syncAndAttach();

    Reply end = one(RomHost.command(0x04, 1));

    assertThat(end.status()).isZero();
    assertThat(send(RomHost.sync())).isEmpty();
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(9);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] chunk = new byte[1024];
    while (!deflater.finished()) {
      out.write(chunk, 0, deflater.deflate(chunk));
    }
    deflater.end();
    return out.toByteArray();
  }
}
