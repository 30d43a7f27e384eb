package io.fieldproof.model.footprint;

import java.util.Set;

/**
 * What a device's runtime offers a model, as it reports it in its capabilities.
 *
 * @param arenaBytes bytes of tensor arena
 * @param slotBytes bytes of one model slot in flash
 * @param operators names of the builtin operators its runtime was built with ({@code CONV_2D}, ...)
 */
public record DeviceBudget(long arenaBytes, long slotBytes, Set<String> operators) {

  public DeviceBudget {
    operators = Set.copyOf(operators);
  }
}
