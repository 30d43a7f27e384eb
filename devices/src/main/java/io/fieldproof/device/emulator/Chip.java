package io.fieldproof.device.emulator;

import io.fieldproof.device.protocol.Capabilities;
import io.fieldproof.model.tflite.BuiltinOperator;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The emulated chips: their name on the wire, their family (which decides the form of the hardware
 * id) and what their runtime build offers.
 */
public enum Chip {
  /** ESP32 (Xtensa LX6, 520 KiB SRAM). */
  ESP32("esp32", Family.ESP32, 96 * 1024, 512 * 1024, Operators.ALL),
  /** ESP32-S3 (Xtensa LX7 with vector instructions, 512 KiB SRAM). */
  ESP32S3("esp32s3", Family.ESP32, 192 * 1024, 1024 * 1024, Operators.ALL),
  /** STM32F4 (Cortex-M4F, 192 KiB SRAM). */
  STM32F4("stm32f4", Family.STM32, 64 * 1024, 384 * 1024, Operators.ALL),
  /** STM32L4 (low-power Cortex-M4F); its runtime build leaves out CONV_2D. */
  STM32L4("stm32l4", Family.STM32, 40 * 1024, 256 * 1024, Operators.WITHOUT_CONV_2D);

  /** The chip families, which differ in how a device identifies itself. */
  public enum Family {
    /** Identified by the base MAC address: {@code esp32-} and 12 hex digits. */
    ESP32("esp32-", "1.0.0+idf5.2"),
    /** Identified by the 96-bit unique id: {@code stm32-} and 24 hex digits. */
    STM32("stm32-", "1.0.0+cube1.28");

    private final String idPrefix;
    private final String firmware;

    Family(String idPrefix, String firmware) {
      this.idPrefix = idPrefix;
      this.firmware = firmware;
    }

    /** The prefix of a device id of this family. */
    public String idPrefix() {
      return idPrefix;
    }

    /** The firmware version an emulator of this family reports unless told otherwise. */
    public String defaultFirmware() {
      return firmware;
    }
  }

  private final String wireName;
  private final Family family;
  private final Capabilities capabilities;

  Chip(String wireName, Family family, long arenaBytes, long slotBytes, List<String> operators) {
    this.wireName = wireName;
    this.family = family;
    this.capabilities = new Capabilities(operators, arenaBytes, slotBytes);
  }

  /** The chip string of HELLO, for example {@code esp32s3}. */
  public String wireName() {
    return wireName;
  }

  public Family family() {
    return family;
  }

  /** Operators, arena and slot size of the runtime built for this chip. */
  public Capabilities capabilities() {
    return capabilities;
  }

  /** The chip named {@code name} (case-insensitive wire name or enum name). */
  public static Chip fromName(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    for (Chip chip : values()) {
      if (chip.wireName.equals(wanted)) {
        return chip;
      }
    }
    throw new IllegalArgumentException(
        "unknown chip " + name + ", expected one of esp32, esp32s3, stm32f4, stm32l4");
  }

  private static final class Operators {
    /** Every operator the model module's interpreter runs: what the emulators' runtime runs. */
    static final List<String> ALL =
        Arrays.stream(BuiltinOperator.values()).map(BuiltinOperator::name).toList();

    static final List<String> WITHOUT_CONV_2D =
        ALL.stream().filter(operator -> !operator.equals("CONV_2D")).toList();
  }
}
