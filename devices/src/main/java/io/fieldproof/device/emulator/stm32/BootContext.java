package io.fieldproof.device.emulator.stm32;

import io.fieldproof.device.emulator.line.LinePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * One connection's bootloader state and the steps all commands share: waiting for the sync byte,
 * reading a command code and its complement, reading an address with its checksum, answering ACK or
 * NACK, and leaving for the application.
 */
final class BootContext {

  private final LinePort port;
  private final Stm32Chip chip;
  private final Stm32Memory memory;
  private final Stm32BootCounters counters;
  private final Map<Integer, Stm32Command> commands = new LinkedHashMap<>();
  private final Stage sync = new Stage(1, this::synchronize);
  private final Stage idle = new Stage(1, this::commandCode);
  private boolean left;

  BootContext(
      LinePort port,
      Stm32Chip chip,
      Stm32Memory memory,
      Stm32BootCounters counters,
      List<Stm32Command> supported) {
    this.port = port;
    this.chip = chip;
    this.memory = memory;
    this.counters = counters;
    supported.forEach(command -> commands.put(command.code(), command));
  }

  Stm32Chip chip() {
    return chip;
  }

  Stm32Memory memory() {
    return memory;
  }

  /** The codes of the supported commands, in the order GET lists them. */
  List<Integer> codes() {
    return List.copyOf(commands.keySet());
  }

  /** The first step after reset: everything but the sync byte is dropped. */
  Stage sync() {
    return sync;
  }

  /** The step that waits for the next command code. */
  Stage idle() {
    return idle;
  }

  /** Whether GO started the application: the bootloader no longer listens. */
  boolean left() {
    return left;
  }

  void send(byte... bytes) {
    port.send(bytes);
  }

  void ack() {
    send((byte) An3155.ACK);
  }

  /** Refuses what was received and waits for the next command. */
  Stage nack() {
    counters.nack();
    send((byte) An3155.NACK);
    return idle;
  }

  /** Acknowledges and goes on with {@code next}. */
  Stage ackThen(Stage next) {
    ack();
    return next;
  }

  /** Reads four address bytes (big-endian) and their XOR, then goes on with {@code next}. */
  Stage address(LongFunction<Stage> next) {
    return new Stage(
        5,
        bytes -> {
          if (An3155.xor(bytes, 0, 4) != (bytes[4] & 0xFF)) {
            return nack();
          }
          long address = (long) An3155.u16(bytes, 0) << 16 | An3155.u16(bytes, 2);
          return next.apply(address);
        });
  }

  /** Acknowledges GO: the application runs from {@code address} and the bootloader goes quiet. */
  Stage leave(long address) {
    // counted before the ACK: a host that got the ACK finds the start already counted
    counters.started(address);
    ack();
    left = true;
    return idle;
  }

  private Stage synchronize(byte[] bytes) {
    if ((bytes[0] & 0xFF) != An3155.SYNC) {
      counters.ignored();
      return sync;
    }
    ack();
    return idle;
  }

  private Stage commandCode(byte[] bytes) {
    if ((bytes[0] & 0xFF) == An3155.SYNC) {
      return nack();
    }
    byte code = bytes[0];
    return new Stage(1, complement -> dispatch(code, complement[0]));
  }

  private Stage dispatch(byte code, byte complement) {
    Stm32Command command = commands.get(code & 0xFF);
    if (command == null || !An3155.complements(code, complement)) {
      return nack();
    }
    counters.command();
    ack();
    return command.start(this);
  }
}
