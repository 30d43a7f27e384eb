package io.fieldproof.agent.update;

import io.fieldproof.protocol.SelfTest;
import java.util.List;

/** Compares a device's self-test outputs with the golden ones, within the tolerance. */
final class SelfTestJudge {

  private SelfTestJudge() {}

  /** Throws {@link UpdateReason#SelfTestMismatch} naming the first difference. */
  static void judge(int vectorIndex, SelfTest.Vector vector, List<Integer> actual, int tolerance)
      throws UpdateException {
    List<Integer> expected = vector.output();
    if (actual == null || actual.size() != expected.size()) {
      throw new UpdateException(
          UpdateReason.SelfTestMismatch,
          "vector "
              + vectorIndex
              + ": expected "
              + expected.size()
              + " outputs, got "
              + (actual == null ? 0 : actual.size()));
    }
    for (int i = 0; i < expected.size(); i++) {
      int difference = Math.abs(actual.get(i) - expected.get(i));
      if (difference > tolerance) {
        throw new UpdateException(
            UpdateReason.SelfTestMismatch,
            "vector "
                + vectorIndex
                + " output "
                + i
                + ": expected "
                + expected.get(i)
                + ", got "
                + actual.get(i)
                + " (tolerance "
                + tolerance
                + ")");
      }
    }
  }
}
