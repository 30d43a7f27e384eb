package io.fieldproof.device.emulator.esp32;

import static org.assertj.core.api.Assertions.assertThat;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.protocol.slots.SlotLayout;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** The RAM upload that starts esptool's flasher stub, and the stub's commands, byte for byte. */
class FlasherStubTest {

  private static final byte[] MAC = {0x24, 0x0A, (byte) 0xC4, 0x11, 0x22, 0x33};
  private static final int IRAM = 0x400A8000;
  private static final int DRAM = 0x3FFDED6C;
  private static final int MEM_BEGIN = 0x05;
  private static final int MEM_END = 0x06;
  private static final int MEM_DATA = 0x07;
  private static final int READ_REG = 0x0A;
  private static final int FLASH_END = 0x04;
  private static final int FLASH_DEFL_BEGIN = 0x10;
  private static final int FLASH_DEFL_DATA = 0x11;
  private static final int FLASH_DEFL_END = 0x12;
  private static final int SPI_FLASH_MD5 = 0x13;
  private static final int FLASH_BEGIN = 0x02;
  private static final int SLOT = 0x210000;

  private final EmulatedFlash flash = new EmulatedFlash(SlotLayout.forChip("esp32").sectors());
  private final RecordingPort port = new RecordingPort();
  private final EspRomLoader loader = new EspRomLoader(port, flash, MAC, new RomLoaderCounters());

  /** A reply as the stub sends it: two status bytes. */
  private record StubReply(int op, int value, byte[] data, int code) {}

  private List<byte[]> send(byte[]... frames) {
    for (byte[] frame : frames) {
      loader.received(frame, 0, frame.length);
    }
    return frames(port.take());
  }

  private static List<byte[]> frames(byte[] output) {
    List<byte[]> frames = new ArrayList<>();
    ByteArrayOutputStream frame = null;
    for (int i = 0; i < output.length; i++) {
      int b = output[i] & 0xFF;
      if (b == 0xC0) {
        if (frame != null && frame.size() > 0) {
          frames.add(frame.toByteArray());
          frame = null;
        } else {
          frame = new ByteArrayOutputStream();
        }
      } else if (b == 0xDB) {
        frame.write((output[++i] & 0xFF) == 0xDC ? 0xC0 : 0xDB);
      } else {
        frame.write(b);
      }
    }
    return frames;
  }

  private static StubReply stubReply(byte[] packet) {
    ByteBuffer buffer = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(buffer.get()).isEqualTo((byte) 1);
    int op = buffer.get() & 0xFF;
    int size = buffer.getShort() & 0xFFFF;
    int value = buffer.getInt();
    assertThat(size).isEqualTo(packet.length - 8);
    byte[] data = Arrays.copyOfRange(packet, 8, packet.length - 2);
    assertThat(packet[packet.length - 1]).isZero();
    return new StubReply(op, value, data, packet[packet.length - 2] & 0xFF);
  }

  private StubReply one(byte[] frame) {
    List<byte[]> replies = send(frame);
    assertThat(replies).hasSize(1);
    return stubReply(replies.get(0));
  }

  private List<byte[]> uploadAndRun(int address, int entry) {
    send(RomHost.sync());
    byte[] code = new byte[0x200];
    new SplittableRandom(1).nextBytes(code);
    send(RomHost.command(MEM_BEGIN, code.length, 1, 0x1800, address));
    send(RomHost.block(MEM_DATA, 0, code, 0));
    send(RomHost.command(MEM_BEGIN, 0x40, 1, 0x1800, DRAM));
    send(RomHost.block(MEM_DATA, 0, new byte[0x40], 0));
    return send(RomHost.command(MEM_END, 0, entry));
  }

  @Test
  void runningTheUploadedCodeStartsTheStubWhichGreets() {
    List<byte[]> out = uploadAndRun(IRAM, IRAM + 0x10);

    assertThat(out).hasSize(2);
    assertThat(RomHost.replies(RomHost.slip(out.get(0))).get(0).status()).isZero();
    assertThat(new String(out.get(1), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("OHAI");
    assertThat(loader.stubRunning()).isTrue();
    StubReply magic = one(RomHost.command(READ_REG, 0x40001000));
    assertThat(magic.code()).isZero();
    assertThat(magic.value()).isEqualTo(0x00F01D83);
  }

  @Test
  void anEntryPointOutsideTheUploadedCodeOrRamOutsideTheChipIsRefused() {
    List<byte[]> out = uploadAndRun(IRAM, 0x40000400);
    byte[] outside = RomHost.command(MEM_BEGIN, 0x100, 1, 0x1800, 0x3F400000);

    assertThat(out).hasSize(1);
    assertThat(RomHost.replies(RomHost.slip(out.get(0))).get(0).error()).isEqualTo(0x06);
    assertThat(loader.stubRunning()).isFalse();
    assertThat(RomHost.replies(RomHost.slip(send(outside).get(0))).get(0).status()).isEqualTo(1);
  }

  @Test
  void theStubSyncsWithValueZeroAndRefusesWithItsOwnCodes() {
    uploadAndRun(IRAM, IRAM);

    List<byte[]> sync = send(RomHost.sync());
    StubReply unknown = one(RomHost.command(0x0E, SLOT, 64));
    StubReply noBegin = one(RomHost.block(FLASH_DEFL_DATA, 0, new byte[16], 0));

    assertThat(sync).hasSize(8).allSatisfy(reply -> assertThat(stubReply(reply).value()).isZero());
    assertThat(unknown.code()).isEqualTo(0xC3);
    assertThat(noBegin.code()).isEqualTo(0xC6);
  }

  @Test
  void aCompressedWriteLandsAndTheDigestComesRaw() throws Exception {
    uploadAndRun(IRAM, IRAM);
    byte[] image = new byte[20_000];
    new SplittableRandom(2).nextBytes(image);
    Arrays.fill(image, 5000, 15_000, (byte) 7);
    byte[] compressed = deflate(image);
    flash.write(SLOT + 0x4F00, new byte[] {0}, 0, 1);
    flash.write(SLOT + 0x5000, new byte[] {0}, 0, 1);

    StubReply begin = one(RomHost.command(FLASH_DEFL_BEGIN, image.length, 1, 0x4000, SLOT, 0));
    StubReply data = one(RomHost.block(FLASH_DEFL_DATA, 0, compressed, 0));
    StubReply md5 = one(RomHost.command(SPI_FLASH_MD5, SLOT, image.length, 0, 0));
    StubReply end = one(RomHost.command(FLASH_DEFL_END, 1));

    assertThat(List.of(begin.code(), data.code(), md5.code(), end.code())).containsOnly(0);
    assertThat(flash.read(SLOT, image.length)).isEqualTo(image);
    assertThat(flash.read(SLOT + 0x4F00, 1))
        .as("erased with the data")
        .containsExactly((byte) 0xFF);
    assertThat(flash.read(SLOT + 0x5000, 1)).as("past the data").containsExactly((byte) 0);
    assertThat(md5.data()).isEqualTo(java.security.MessageDigest.getInstance("MD5").digest(image));
  }

  @Test
  void aBadBlockIsRefusedAndAnUnfinishedDownloadCannotEnd() {
    uploadAndRun(IRAM, IRAM);

    one(RomHost.command(FLASH_BEGIN, 0x800, 1, 0x4000, SLOT, 0));
    StubReply badChecksum = one(RomHost.block(0x03, 0, new byte[0x400], 1));
    StubReply early = one(RomHost.command(FLASH_END, 1));

    assertThat(badChecksum.code()).isEqualTo(0xC1);
    assertThat(early.code()).isEqualTo(0xC0);
  }

  @Test
  void flashEndWithRebootBringsBackTheRomLoader() {
    uploadAndRun(IRAM, IRAM);

    one(RomHost.command(FLASH_BEGIN, 0, 0, 0x4000, 0, 0));
    StubReply end = one(RomHost.command(FLASH_END, 0));
    List<byte[]> beforeSync = send(RomHost.command(READ_REG, 0x40001000));
    List<byte[]> sync = send(RomHost.sync());

    assertThat(end.code()).isZero();
    assertThat(loader.stubRunning()).isFalse();
    assertThat(beforeSync).isEmpty();
    assertThat(RomHost.replies(RomHost.slip(sync.get(0))).get(0).value()).isEqualTo(0x20120707);
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(9);
    deflater.setInput(bytes);
    deflater.finish();
    byte[] buffer = new byte[bytes.length + 64];
    int length = deflater.deflate(buffer);
    deflater.end();
    return Arrays.copyOf(buffer, length);
  }
}
