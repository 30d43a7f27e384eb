package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.protocol.slots.SectorMap;
import io.fieldproof.device.protocol.slots.SlotLayout;

/**
 * What an emulated STM32 shows through its USART bootloader: the product id that GET_ID answers,
 * its flash and erase units, its banks, and where system memory keeps the bootloader id byte, the
 * 96-bit unique id, the flash size register and the option bytes (RM0090 for the F405/407, RM0394
 * for the L47x/L48x, AN2606 for the bootloader ids). Immutable.
 */
public final class Stm32Chip {

  /** Where the main flash sits on the bus. */
  public static final long FLASH_BASE = 0x0800_0000L;

  /** Where SRAM starts on the bus. */
  public static final long SRAM_BASE = 0x2000_0000L;

  private static final long SYSTEM_MEMORY = 0x1FFF_0000L;
  private static final int KIB = 1024;

  private final String name;
  private final int pid;
  private final SectorMap sectors;
  private final int bankPages;
  private final long systemEnd;
  private final long bootloaderIdAddress;
  private final int bootloaderId;
  private final long uidAddress;
  private final long flashSizeAddress;
  private final long optionStart;
  private final byte[] optionDefaults;
  private final int sramSize;

  private Stm32Chip(
      String name,
      int pid,
      int bankPages,
      long systemEnd,
      long bootloaderIdAddress,
      int bootloaderId,
      long uidAddress,
      long flashSizeAddress,
      long optionStart,
      byte[] optionDefaults,
      int sramSize) {
    this.name = name;
    this.pid = pid;
    this.sectors = SlotLayout.forChip(name).sectors();
    this.bankPages = bankPages;
    this.systemEnd = systemEnd;
    this.bootloaderIdAddress = bootloaderIdAddress;
    this.bootloaderId = bootloaderId;
    this.uidAddress = uidAddress;
    this.flashSizeAddress = flashSizeAddress;
    this.optionStart = optionStart;
    this.optionDefaults = optionDefaults.clone();
    this.sramSize = sramSize;
  }

  /**
   * STM32F405/407 (PID 0x413): 1 MiB in one bank of 16/64/128 KiB sectors, bootloader id 0x31 at
   * 0x1FFF77DE, unique id at 0x1FFF7A10, flash size at 0x1FFF7A22, option bytes at 0x1FFFC000 (RDP
   * level 0), 128 KiB SRAM.
   */
  public static Stm32Chip stm32f4() {
    return new Stm32Chip(
        "stm32f4",
        0x413,
        0,
        0x1FFF_7C00L,
        0x1FFF_77DEL,
        0x31,
        0x1FFF_7A10L,
        0x1FFF_7A22L,
        0x1FFF_C000L,
        new byte[] {
          (byte) 0xEC, (byte) 0xAA, -1, -1, -1, -1, -1, -1, -1, 0x0F, -1, -1, -1, -1, -1, -1
        },
        128 * KIB);
  }

  /**
   * STM32L47x/L48x (PID 0x415): 1 MiB in two banks of 256 pages of 2 KiB, bootloader id 0x92 at
   * 0x1FFF6FFE, unique id at 0x1FFF7590, flash size at 0x1FFF75E0, option bytes at 0x1FFF7800 (the
   * FLASH_OPTR reset value 0xFFEFF8AA and its complement: RDP level 0), 96 KiB SRAM1.
   */
  public static Stm32Chip stm32l4() {
    return new Stm32Chip(
        "stm32l4",
        0x415,
        256,
        0x1FFF_7600L,
        0x1FFF_6FFEL,
        0x92,
        0x1FFF_7590L,
        0x1FFF_75E0L,
        0x1FFF_7800L,
        new byte[] {
          (byte) 0xAA, (byte) 0xF8, (byte) 0xEF, -1, 0x55, 0x07, 0x10, 0, -1, -1, 0, 0, 0, 0, -1, -1
        },
        96 * KIB);
  }

  /** The same chip answering GET_ID with another product id (a part the host may not know). */
  public Stm32Chip withPid(int otherPid) {
    return new Stm32Chip(
        name,
        otherPid,
        bankPages,
        systemEnd,
        bootloaderIdAddress,
        bootloaderId,
        uidAddress,
        flashSizeAddress,
        optionStart,
        optionDefaults,
        sramSize);
  }

  /** The wire name of the chip ({@code stm32f4}, {@code stm32l4}), whose slot layout it has. */
  public String name() {
    return name;
  }

  /** The product id (DEV_ID) that GET_ID answers. */
  public int pid() {
    return pid;
  }

  /** The erase units of the main flash; EXTENDED_ERASE page numbers are their indices. */
  public SectorMap sectors() {
    return sectors;
  }

  /** Pages per bank for bank erase (0xFFFE, 0xFFFD), 0 on a single-bank chip. */
  public int bankPages() {
    return bankPages;
  }

  /** First address of system memory (the bootloader's code, then OTP and the id registers). */
  public long systemStart() {
    return SYSTEM_MEMORY;
  }

  /** First address past the readable system memory window. */
  public long systemEnd() {
    return systemEnd;
  }

  public long bootloaderIdAddress() {
    return bootloaderIdAddress;
  }

  public int bootloaderId() {
    return bootloaderId;
  }

  public long uidAddress() {
    return uidAddress;
  }

  public long flashSizeAddress() {
    return flashSizeAddress;
  }

  public long optionStart() {
    return optionStart;
  }

  /** The option bytes as they read at {@link #optionStart()}. */
  public byte[] optionDefaults() {
    return optionDefaults.clone();
  }

  /** First address past SRAM. */
  public long sramEnd() {
    return SRAM_BASE + sramSize;
  }

  @Override
  public String toString() {
    return name + String.format(" (PID 0x%03X)", pid);
  }
}
