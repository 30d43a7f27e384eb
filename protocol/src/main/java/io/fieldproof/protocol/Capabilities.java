package io.fieldproof.protocol;

import java.util.List;

/** What a device's runtime can run: its operators, its tensor arena and its model slot size. */
public record Capabilities(List<String> operators, long arenaBytes, long slotBytes) {

  public Capabilities {
    operators = operators == null ? List.of() : List.copyOf(operators);
  }
}
