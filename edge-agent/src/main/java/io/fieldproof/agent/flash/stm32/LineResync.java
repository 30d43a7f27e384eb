package io.fieldproof.agent.flash.stm32;

import io.fieldproof.agent.flash.FlashException;
import io.fieldproof.agent.flash.FlashFailure;
import java.time.Duration;
import java.util.Arrays;

/**
 * Brings the bootloader back in step after a lost or damaged frame, when the host can no longer
 * tell which byte the bootloader waits for. It sends 0xFF filler: inside a frame it completes the
 * frame (whose checksum then fails, and a write of 0xFF would change no NOR bit anyway), and at a
 * command boundary 0xFF 0xFF is a bad complement. Every NACK leaves the bootloader waiting for a
 * command. Once a NACK came, single filler bytes follow until one of them draws the NACK: then the
 * bootloader has taken every byte sent and waits for a command code.
 */
final class LineResync {

  /** Filler bytes per round until the first NACK. */
  private static final int FILL = 64;

  /** Enough rounds to complete the longest frame: an erase list of 1024 pages. */
  private static final int ROUNDS = 2 * 1024 / FILL + 8;

  private final Stm32Link link;

  LineResync(Stm32Link link) {
    this.link = link;
  }

  void run() throws FlashException {
    link.discardInput();
    boolean nacked = false;
    for (int round = 0; round < ROUNDS; round++) {
      int count = nacked ? 1 : FILL;
      byte[] filler = new byte[count];
      Arrays.fill(filler, (byte) 0xFF);
      link.send(filler);
      byte[] answer = drain(count);
      boolean endsInNack =
          answer.length > 0 && (answer[answer.length - 1] & 0xFF) == Stm32Link.NACK;
      if (nacked && endsInNack) {
        return;
      }
      nacked |= contains(answer, Stm32Link.NACK);
    }
    throw new FlashException(
        FlashFailure.NO_SYNC,
        "the bootloader did not come back in step after " + ROUNDS + " rounds");
  }

  private byte[] drain(int sent) throws FlashException {
    Duration latency = link.options().latency();
    return link.drain(link.options().within(sent + 1), latency);
  }

  private static boolean contains(byte[] answer, int value) {
    for (byte b : answer) {
      if ((b & 0xFF) == value) {
        return true;
      }
    }
    return false;
  }
}
