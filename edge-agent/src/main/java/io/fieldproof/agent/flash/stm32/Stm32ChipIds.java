package io.fieldproof.agent.flash.stm32;

import java.util.Map;
import java.util.Optional;

/**
 * The product ids (GET_ID, the DEV_ID of DBGMCU_IDCODE) of the STM32 parts the agent has slot
 * layouts for, and their wire names: 0x413 is the STM32F405/407/415/417 (RM0090), 0x415 the
 * STM32L47x/L48x (RM0394).
 */
final class Stm32ChipIds {

  private static final Map<Integer, String> NAMES = Map.of(0x413, "stm32f4", 0x415, "stm32l4");

  private Stm32ChipIds() {}

  static Optional<String> name(int pid) {
    return Optional.ofNullable(NAMES.get(pid));
  }
}
