package io.fieldproof.agent.flash.stm32;

import java.util.Set;

/** What GET reported: the bootloader's protocol version and the codes of the commands it offers. */
record CommandSet(int version, Set<Integer> codes) {

  static final int GET = 0x00;
  static final int GET_ID = 0x02;
  static final int READ_MEMORY = 0x11;
  static final int GO = 0x21;
  static final int WRITE_MEMORY = 0x31;
  static final int EXTENDED_ERASE = 0x44;

  CommandSet {
    codes = Set.copyOf(codes);
  }

  boolean supports(int code) {
    return codes.contains(code);
  }
}
