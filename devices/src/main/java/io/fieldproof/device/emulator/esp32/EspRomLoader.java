package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.PowerLossException;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The ESP32 serial ROM loader (download mode) over an {@link EmulatedFlash}, as esptool {@code
 * --no-stub} and the agent's flasher speak to it: SLIP frames, command packets, replies with four
 * status bytes. It answers nothing until a valid SYNC (the ROM locks onto the baud rate with it),
 * then SYNC with eight replies, register reads and writes (chip magic, eFuses, SPI0 controller),
 * SPI_ATTACH, SPI_SET_PARAMS, plain and compressed downloads, SPI_FLASH_MD5, READ_FLASH_SLOW and
 * CHANGE_BAUDRATE; GET_SECURITY_INFO fails as it does on an ESP32. FLASH_END leaves the loader, and
 * a power cut during a write silences it: either way it answers nothing more on this connection.
 * One loader per connection (a reset); fed from one thread.
 */
public final class EspRomLoader implements LineProtocol {

  private static final System.Logger LOG = System.getLogger(EspRomLoader.class.getName());
  private static final int MAX_FRAME = RomPacketCodec.HEADER + 16 + FlashDownloads.MAX_BLOCK;
  private static final int SYNC_VALUE = 0x20120707;
  private static final int SYNC_REPLIES = 8;
  private static final byte[] SYNC_PATTERN = syncPattern();

  private final LinePort port;
  private final RomLoaderCounters counters;
  private final SlipDecoder decoder;
  private final ChipRegisters registers;
  private final FlashDownloads downloads;
  private final FlashReads reads;
  private final FlashAttachment attachment = new FlashAttachment();
  private boolean synced;
  private boolean silent;

  /**
   * @param port where replies go
   * @param flash the SPI flash, addressed from 0
   * @param mac the base MAC in the eFuses
   * @param counters what this loader drops and refuses is counted there
   */
  public EspRomLoader(LinePort port, EmulatedFlash flash, byte[] mac, RomLoaderCounters counters) {
    this.port = port;
    this.counters = counters;
    this.decoder = new SlipDecoder(MAX_FRAME, this::onFrame, this::onDroppedFrame);
    this.registers =
        new ChipRegisters(
            mac.clone(), new SpiController(new SpiFlashChip(flash.size())), port::baud);
    this.downloads = new FlashDownloads(flash, attachment);
    this.reads = new FlashReads(flash, attachment);
  }

  /** A fresh loader per connection, as {@code LineServer.start} wants it. */
  public static Function<LinePort, LineProtocol> factory(EmulatedFlash flash, byte[] mac) {
    return factory(flash, mac, new RomLoaderCounters());
  }

  /** A fresh loader per connection, all counting into {@code counters}. */
  public static Function<LinePort, LineProtocol> factory(
      EmulatedFlash flash, byte[] mac, RomLoaderCounters counters) {
    byte[] copy = mac.clone();
    return port -> new EspRomLoader(port, flash, copy, counters);
  }

  @Override
  public void received(byte[] data, int offset, int length) {
    if (silent) {
      return;
    }
    decoder.feed(data, offset, length);
  }

  @Override
  public void closed() {
    downloads.close();
  }

  private void onDroppedFrame() {
    counters.dropped();
  }

  private void onFrame(byte[] frame) {
    if (silent || !RomPacketCodec.looksLikeCommand(frame)) {
      counters.dropped();
      return;
    }
    int op = RomPacketCodec.opOf(frame);
    try {
      RomCommand command = RomPacketCodec.decode(frame);
      if (!synced && op != RomOp.SYNC.code()) {
        counters.dropped();
        return;
      }
      answer(command);
    } catch (RomCommandException e) {
      refuse(op, e);
    } catch (PowerLossException e) {
      LOG.log(Level.DEBUG, "the chip lost power: {0}", e.getMessage());
      powerOff();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "command 0x" + Integer.toHexString(op) + " broke the emulator", e);
      refuse(op, new RomCommandException(RomError.FAILED_TO_ACT, String.valueOf(e)));
    }
  }

  private void refuse(int op, RomCommandException e) {
    if (!synced) {
      counters.dropped();
      return;
    }
    LOG.log(Level.DEBUG, "refusing command 0x{0}: {1}", Integer.toHexString(op), e.getMessage());
    counters.refused(e.error());
    send(RomReply.failed(op, e.error()));
  }

  private void answer(RomCommand command) throws RomCommandException {
    RomOp op =
        RomOp.of(command.op())
            .orElseThrow(
                () -> new RomCommandException(RomError.INVALID_MESSAGE, "unknown command"));
    switch (op) {
      case SYNC -> sync(command);
      case CHANGE_BAUDRATE -> changeBaud(command);
      case FLASH_END, FLASH_DEFL_END -> leave(command);
      case GET_SECURITY_INFO ->
          throw new RomCommandException(
              RomError.INVALID_MESSAGE, "the ESP32 ROM has no GET_SECURITY_INFO");
      case READ_REG -> send(RomReply.value(command.op(), registers.read(command.words(1)[0])));
      case WRITE_REG -> send(writeRegisters(command));
      case SPI_ATTACH -> send(attachment.attach(command));
      case SPI_SET_PARAMS -> send(attachment.setParams(command));
      case FLASH_BEGIN -> send(downloads.begin(command));
      case FLASH_DATA -> send(downloads.data(command));
      case FLASH_DEFL_BEGIN -> send(downloads.beginDeflate(command));
      case FLASH_DEFL_DATA -> send(downloads.deflateData(command));
      case SPI_FLASH_MD5 -> send(reads.md5(command));
      case READ_FLASH_SLOW -> send(reads.readSlow(command));
    }
  }

  private void sync(RomCommand command) throws RomCommandException {
    if (!Arrays.equals(command.data(), SYNC_PATTERN)) {
      throw new RomCommandException(RomError.INVALID_MESSAGE, "not the SYNC pattern");
    }
    synced = true;
    byte[] reply = frame(RomReply.value(command.op(), SYNC_VALUE));
    ByteArrayOutputStream replies = new ByteArrayOutputStream(reply.length * SYNC_REPLIES);
    for (int i = 0; i < SYNC_REPLIES; i++) {
      replies.writeBytes(reply);
    }
    port.send(replies.toByteArray());
  }

  /** Replies at the old speed, then switches: the host reads the answer before it switches too. */
  private void changeBaud(RomCommand command) throws RomCommandException {
    int baud = command.words(2)[0];
    if (baud <= 0) {
      throw new RomCommandException(RomError.FAILED_TO_ACT, "no such baud rate: " + baud);
    }
    send(RomReply.ok(command.op()));
    port.changeBaud(baud);
  }

  private void leave(RomCommand command) throws RomCommandException {
    send(downloads.end(command));
    silent = true;
  }

  private RomReply writeRegisters(RomCommand command) throws RomCommandException {
    int[] words = command.quadruples();
    for (int i = 0; i < words.length; i += 4) {
      registers.write(words[i], words[i + 1], words[i + 2]);
    }
    return RomReply.ok(command.op());
  }

  private void powerOff() {
    silent = true;
    downloads.close();
  }

  private void send(RomReply reply) {
    port.send(frame(reply));
  }

  private static byte[] frame(RomReply reply) {
    return SlipEncoder.encode(RomPacketCodec.encode(reply));
  }

  private static byte[] syncPattern() {
    byte[] pattern = new byte[36];
    pattern[0] = 0x07;
    pattern[1] = 0x07;
    pattern[2] = 0x12;
    pattern[3] = 0x20;
    Arrays.fill(pattern, 4, pattern.length, (byte) 0x55);
    return pattern;
  }
}
