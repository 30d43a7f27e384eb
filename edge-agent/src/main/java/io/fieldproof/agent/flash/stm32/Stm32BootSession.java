package io.fieldproof.agent.flash.stm32;

import io.fieldproof.agent.flash.BootloaderSession;
import io.fieldproof.agent.flash.ByteLine;
import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import io.fieldproof.agent.flash.FlashProgress;
import io.fieldproof.device.protocol.slots.SectorMap;
import io.fieldproof.device.protocol.slots.SlotLayout;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * A connected STM32 USART bootloader (ST AN3155). {@link #connect} syncs, learns the command set
 * (GET) and the chip (GET_ID), whose slot layout gives the erase pages. {@link #write} erases
 * exactly the pages the range covers (EXTENDED_ERASE, in batches), then writes 256-byte blocks
 * (WRITE_MEMORY, the tail padded with 0xFF to a multiple of 4); {@link #verify} reads back and
 * compares; {@link #close} starts the application (GO to the flash base). Each command is retried
 * on NACK, timeout or a garbled answer, with a resync in between. Not thread-safe.
 */
public final class Stm32BootSession implements BootloaderSession {

  private static final System.Logger LOG = System.getLogger(Stm32BootSession.class.getName());
  private static final int BLOCK = 256;
  private static final int ERASE_BATCH = 64;
  private static final int[] REQUIRED = {
    CommandSet.GET_ID, CommandSet.READ_MEMORY, CommandSet.WRITE_MEMORY, CommandSet.GO
  };

  private final Stm32Protocol protocol;
  private final Attempts attempts;
  private final Stm32BootOptions options;
  private final SlotLayout layout;
  private boolean closed;

  private Stm32BootSession(
      Stm32Protocol protocol, Attempts attempts, Stm32BootOptions options, SlotLayout layout) {
    this.protocol = protocol;
    this.attempts = attempts;
    this.options = options;
    this.layout = layout;
  }

  /**
   * Syncs with the bootloader on {@code line} and identifies the chip.
   *
   * @throws FlashException NO_SYNC when it never answers 0x7F, UNSUPPORTED when it lacks a command
   *     the flasher needs, WRONG_CHIP when its product id has no slot layout
   */
  public static Stm32BootSession connect(ByteLine line, Stm32BootOptions options)
      throws FlashException {
    Stm32Link link = new Stm32Link(line, options);
    Stm32Protocol protocol = new Stm32Protocol(link);
    Attempts attempts = new Attempts(options.attempts(), new LineResync(link));
    protocol.sync();
    CommandSet commands = attempts.run("GET", protocol::get);
    requireCommands(commands);
    int pid = attempts.run("GET_ID", protocol::getId);
    String chip =
        Stm32ChipIds.name(pid)
            .orElseThrow(
                () ->
                    new FlashException(
                        FlashFailure.WRONG_CHIP,
                        String.format("product id 0x%03X is no STM32 the agent can flash", pid)));
    LOG.log(
        Level.DEBUG,
        "{0}: {1} (PID 0x{2}), bootloader protocol 0x{3}",
        line.uri(),
        chip,
        Integer.toHexString(pid),
        Integer.toHexString(commands.version()));
    return new Stm32BootSession(protocol, attempts, options, SlotLayout.forChip(chip));
  }

  private static void requireCommands(CommandSet commands) throws FlashException {
    for (int code : REQUIRED) {
      if (!commands.supports(code)) {
        throw new FlashException(
            FlashFailure.UNSUPPORTED,
            String.format("the bootloader does not offer command 0x%02X", code));
      }
    }
    if (!commands.supports(CommandSet.EXTENDED_ERASE)) {
      throw new FlashException(
          FlashFailure.UNSUPPORTED,
          "the bootloader offers no EXTENDED_ERASE (0x44): the F4 and L4 bootloaders do, so this"
              + " is another part");
    }
  }

  @Override
  public String chip() {
    return layout.chip();
  }

  /** Commands sent again after a NACK, a timeout or a garbled answer, so far. */
  public long retries() {
    return attempts.retries();
  }

  @Override
  public byte[] read(long address, int length) throws FlashException {
    byte[] data = new byte[length];
    for (int done = 0; done < length; done += BLOCK) {
      int count = Math.min(BLOCK, length - done);
      byte[] block = readBlock(address + done, count);
      System.arraycopy(block, 0, data, done, count);
    }
    return data;
  }

  @Override
  public void write(long address, byte[] data, FlashProgress progress) throws FlashException {
    int offset = flashOffset(address, data.length);
    if (!layout.sectors().isSectorStart(offset)) {
      throw new FlashException(
          FlashFailure.OUT_OF_RANGE,
          String.format("0x%08X does not start an erase page of the %s", address, chip()));
    }
    erase(layout.sectors().covering(offset, data.length));
    for (int done = 0; done < data.length; done += BLOCK) {
      byte[] block = padded(data, done, Math.min(BLOCK, data.length - done));
      long at = address + done;
      attempts.run(
          String.format("write 0x%08X", at),
          () -> {
            protocol.writeMemory(at, block);
            return null;
          });
      progress.progress(Math.min(done + BLOCK, data.length), data.length);
    }
  }

  @Override
  public void verify(long address, byte[] data) throws FlashException {
    for (int done = 0; done < data.length; done += BLOCK) {
      int count = Math.min(BLOCK, data.length - done);
      byte[] expected = Arrays.copyOfRange(data, done, done + count);
      long at = address + done;
      if (!Arrays.equals(readBlock(at, count), expected)) {
        checkAgain(at, expected);
      }
    }
  }

  /** Starts the application at the flash base (GO); the bootloader no longer answers after it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      protocol.go(layout.busBase());
    } catch (FlashException e) {
      LOG.log(Level.WARNING, "{0}: the application was not started: {1}", chip(), e.getMessage());
    }
  }

  /** A block read once more, so a misread is not taken for a flash that holds other bytes. */
  private void checkAgain(long address, byte[] expected) throws FlashException {
    byte[] actual = readBlock(address, expected.length);
    int at = Arrays.mismatch(actual, expected);
    if (at >= 0) {
      throw new FlashException(
          FlashFailure.VERIFY_MISMATCH,
          String.format(
              "flash at 0x%08X holds 0x%02X, 0x%02X was written",
              address + at, actual[at] & 0xFF, expected[at] & 0xFF));
    }
  }

  private byte[] readBlock(long address, int count) throws FlashException {
    return attempts.run(
        String.format("read 0x%08X+%d", address, count), () -> protocol.readMemory(address, count));
  }

  private void erase(List<Integer> pages) throws FlashException {
    SectorMap sectors = layout.sectors();
    for (int from = 0; from < pages.size(); from += ERASE_BATCH) {
      List<Integer> batch = pages.subList(from, Math.min(pages.size(), from + ERASE_BATCH));
      long bytes = batch.stream().mapToLong(sectors::sizeOf).sum();
      Duration eraseTime = options.eraseTime(bytes);
      attempts.run(
          "erase pages " + batch.get(0) + ".." + batch.get(batch.size() - 1),
          () -> {
            protocol.extendedErase(batch, eraseTime);
            return null;
          });
    }
  }

  /** The flash offset of {@code address}, checking that the range lies in the flash. */
  private int flashOffset(long address, int length) throws FlashException {
    long offset = address - layout.busBase();
    if (offset < 0 || length < 0 || offset + length > layout.sectors().size()) {
      throw new FlashException(
          FlashFailure.OUT_OF_RANGE,
          String.format(
              "0x%08X+%d lies outside the %d KiB flash of the %s at 0x%08X",
              address, length, layout.sectors().size() / 1024, chip(), layout.busBase()));
    }
    return (int) offset;
  }

  /** {@code data[from, from + count)} padded with 0xFF to a multiple of 4 bytes. */
  private static byte[] padded(byte[] data, int from, int count) {
    byte[] block = new byte[(count + 3) & ~3];
    Arrays.fill(block, (byte) 0xFF);
    System.arraycopy(data, from, block, 0, count);
    return block;
  }
}
