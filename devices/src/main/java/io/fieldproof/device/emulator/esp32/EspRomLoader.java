package io.fieldproof.device.emulator.esp32;

import io.fieldproof.device.emulator.flash.EmulatedFlash;
import io.fieldproof.device.emulator.flash.FlashClock;
import io.fieldproof.device.emulator.flash.FlashTimings;
import io.fieldproof.device.emulator.flash.PowerLossException;
import io.fieldproof.device.emulator.line.LinePort;
import io.fieldproof.device.emulator.line.LineProtocol;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The ESP32 serial ROM loader (download mode) over an {@link EmulatedFlash}, as esptool and the
 * agent's flasher speak to it: SLIP frames, command packets, replies with four status bytes. It
 * answers nothing until a valid SYNC (the ROM locks onto the baud rate with it), then SYNC with
 * eight replies, register reads and writes (chip magic, eFuses, SPI0 controller), SPI_ATTACH,
 * SPI_SET_PARAMS, plain and compressed downloads, SPI_FLASH_MD5, READ_FLASH_SLOW, CHANGE_BAUDRATE
 * and the RAM upload (MEM_BEGIN / MEM_DATA / MEM_END); GET_SECURITY_INFO fails as it does on an
 * ESP32. A MEM_END that runs an entry point inside uploaded instruction RAM starts esptool's
 * flasher stub: the loader greets with {@code OHAI} and from then on answers as {@link
 * StubCommands}. Erase and program times follow the {@link FlashTimings} given. FLASH_END leaves
 * the ROM loader, and a power cut during a write silences it: either way it answers nothing more on
 * this connection. One loader per connection (a reset); fed from one thread.
 */
public final class EspRomLoader implements LineProtocol {

  private static final System.Logger LOG = System.getLogger(EspRomLoader.class.getName());
  private static final int MAX_FRAME = RomPacketCodec.HEADER + 16 + FlashDownloads.MAX_BLOCK;
  private static final byte[] GREETING = "OHAI".getBytes(StandardCharsets.US_ASCII);

  private final RomLoaderCounters counters;
  private final SlipDecoder decoder;
  private final ChipRegisters registers;
  private final FlashDownloads downloads;
  private final FlashReads reads;
  private final FlashAttachment attachment = new FlashAttachment();
  private final RamUpload ram = new RamUpload();
  private final ReplyChannel replies;
  private final StubCommands stub;
  private boolean synced;
  private boolean silent;

  /**
   * A loader whose flash takes no time to erase or program.
   *
   * @param port where replies go
   * @param flash the SPI flash, addressed from 0
   * @param mac the base MAC in the eFuses
   * @param counters what this loader drops and refuses is counted there
   */
  public EspRomLoader(LinePort port, EmulatedFlash flash, byte[] mac, RomLoaderCounters counters) {
    this(port, flash, mac, counters, FlashTimings.instant());
  }

  /** A loader whose flash erases and programs in the time {@code timings} say. */
  public EspRomLoader(
      LinePort port,
      EmulatedFlash flash,
      byte[] mac,
      RomLoaderCounters counters,
      FlashTimings timings) {
    FlashClock clock = new FlashClock(timings);
    this.counters = counters;
    this.decoder = new SlipDecoder(MAX_FRAME, this::onFrame, this::onDroppedFrame);
    this.registers =
        new ChipRegisters(
            mac.clone(), new SpiController(new SpiFlashChip(flash.size())), port::baud);
    this.downloads = new FlashDownloads(flash, attachment, clock);
    this.reads = new FlashReads(flash, attachment);
    this.replies = new ReplyChannel(port, clock);
    this.stub = new StubCommands(flash, clock, registers, replies);
  }

  /** A fresh loader per connection, as {@code LineServer.start} wants it; instant flash. */
  public static Function<LinePort, LineProtocol> factory(EmulatedFlash flash, byte[] mac) {
    return factory(flash, mac, new RomLoaderCounters());
  }

  /** A fresh loader per connection, all counting into {@code counters}; instant flash. */
  public static Function<LinePort, LineProtocol> factory(
      EmulatedFlash flash, byte[] mac, RomLoaderCounters counters) {
    return factory(flash, mac, counters, FlashTimings.instant());
  }

  /** A fresh loader per connection, with flash that takes the time {@code timings} say. */
  public static Function<LinePort, LineProtocol> factory(
      EmulatedFlash flash, byte[] mac, RomLoaderCounters counters, FlashTimings timings) {
    byte[] copy = mac.clone();
    return port -> new EspRomLoader(port, flash, copy, counters, timings);
  }

  /** Whether esptool's flasher stub runs (emulated) on this connection. */
  public boolean stubRunning() {
    return replies.stub();
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
    stub.close();
  }

  private void onDroppedFrame() {
    counters.dropped();
  }

  private void onFrame(byte[] frame) {
    if (!silent && replies.stub() && stub.reading()) {
      stub.readAcknowledged(frame);
      return;
    }
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
      if (replies.stub()) {
        afterStub(stub.answer(command));
      } else {
        answer(command);
      }
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
    replies.send(RomReply.failed(op, e.error()));
  }

  private void answer(RomCommand command) throws RomCommandException {
    RomOp op =
        RomOp.of(command.op())
            .orElseThrow(
                () -> new RomCommandException(RomError.UNKNOWN_COMMAND, "unknown command"));
    switch (op) {
      case SYNC -> sync(command);
      case CHANGE_BAUDRATE -> changeBaud(command);
      case FLASH_END, FLASH_DEFL_END -> leave(command);
      case GET_SECURITY_INFO ->
          throw new RomCommandException(
              RomError.UNKNOWN_COMMAND, "the ESP32 ROM has no GET_SECURITY_INFO");
      case READ_REG ->
          replies.send(RomReply.value(command.op(), registers.read(command.words(1)[0])));
      case WRITE_REG -> replies.send(writeRegisters(command));
      case SPI_ATTACH -> replies.send(attachment.attach(command));
      case SPI_SET_PARAMS -> replies.send(attachment.setParams(command));
      case FLASH_BEGIN -> replies.send(downloads.begin(command));
      case FLASH_DATA -> replies.send(downloads.data(command));
      case FLASH_DEFL_BEGIN -> replies.send(downloads.beginDeflate(command));
      case FLASH_DEFL_DATA -> replies.send(downloads.deflateData(command));
      case SPI_FLASH_MD5 -> replies.send(reads.md5(command));
      case READ_FLASH_SLOW -> replies.send(reads.readSlow(command));
      case MEM_BEGIN -> replies.send(ram.begin(command));
      case MEM_DATA -> replies.send(ram.data(command));
      case MEM_END -> memEnd(command);
      case ERASE_FLASH, ERASE_REGION, READ_FLASH, RUN_USER_CODE ->
          throw new RomCommandException(
              RomError.UNKNOWN_COMMAND, op + " needs the flasher stub, not the ROM");
    }
  }

  private void sync(RomCommand command) throws RomCommandException {
    byte[] answer = SyncReplies.answer(command, SyncReplies.ROM_VALUE, false);
    synced = true;
    replies.sendFramed(answer);
  }

  /** Replies at the old speed, then switches: the host reads the answer before it switches too. */
  private void changeBaud(RomCommand command) throws RomCommandException {
    int baud = command.words(2)[0];
    if (baud <= 0) {
      throw new RomCommandException(RomError.FAILED_TO_ACT, "no such baud rate: " + baud);
    }
    replies.send(RomReply.ok(command.op()));
    replies.changeBaud(baud);
  }

  /**
   * MEM_END: the ROM replies, then jumps to the entry point. An entry point inside the uploaded
   * code starts the flasher stub, which greets the host.
   */
  private void memEnd(RomCommand command) throws RomCommandException {
    OptionalInt entry = ram.end(command);
    replies.send(RomReply.ok(command.op()));
    if (entry.isPresent()) {
      LOG.log(
          Level.DEBUG,
          "running the flasher stub: {0} bytes uploaded, entry 0x{1}",
          ram.uploadedBytes(),
          Integer.toHexString(entry.getAsInt()));
      downloads.close();
      replies.stub(true);
      replies.sendFrame(GREETING);
    }
  }

  private void afterStub(StubCommands.After after) {
    switch (after) {
      case STAY -> {}
      case REBOOT_TO_ROM -> {
        replies.stub(false);
        synced = false;
        attachment.detach();
      }
      case LEAVE -> {
        silent = true;
        stub.close();
      }
    }
  }

  private void leave(RomCommand command) throws RomCommandException {
    replies.send(downloads.end(command));
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
    stub.close();
  }
}
