package io.fieldproof.device.protocol;

import java.util.List;

/**
 * What a device runtime can execute: the TFLite Micro operators it was built with, its tensor arena
 * and the size of one model slot.
 *
 * @param operators builtin operator names, for example {@code "FULLY_CONNECTED"}
 * @param arenaBytes bytes of tensor arena available to a model
 * @param slotBytes bytes of one model slot
 */
public record Capabilities(List<String> operators, long arenaBytes, long slotBytes) {

  public Capabilities {
    operators = operators == null ? List.of() : List.copyOf(operators);
  }
}
