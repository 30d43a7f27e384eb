package io.fieldproof.device.emulator.esp32;

/**
 * One reply of the ESP32 ROM loader: the opcode it answers, the value field (a register, the SYNC
 * magic), optional data, and the four status bytes an ESP32 ROM appends ({@code status, error, 0,
 * 0}).
 */
record RomReply(int op, int value, byte[] body, RomError error) {

  static RomReply ok(int op) {
    return new RomReply(op, 0, new byte[0], null);
  }

  static RomReply value(int op, int value) {
    return new RomReply(op, value, new byte[0], null);
  }

  static RomReply body(int op, byte[] body) {
    return new RomReply(op, 0, body, null);
  }

  static RomReply failed(int op, RomError error) {
    return new RomReply(op, 0, new byte[0], error);
  }

  boolean failed() {
    return error != null;
  }
}
