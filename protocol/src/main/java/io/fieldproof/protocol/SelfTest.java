package io.fieldproof.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Golden vectors a device runs on a freshly written model before it is activated, and the largest
 * difference per int8 output that still passes.
 *
 * @param tolerance largest allowed |device - expected| per output value; 0 is bit-exact
 * @param vectors raw int8 inputs and the outputs the model must give
 */
public record SelfTest(int tolerance, List<Vector> vectors) {

  /** Most vectors a desired state carries. */
  public static final int MAX_VECTORS = 16;

  /** One golden vector: the int8 input of tensor 0 and the expected int8 output of tensor 0. */
  public record Vector(List<Integer> input, List<Integer> output) {}

  public SelfTest {
    vectors = vectors == null ? List.of() : List.copyOf(vectors);
  }

  /** What is wrong with this self-test, empty when nothing is. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (tolerance < 0 || tolerance > 255) {
      problems.add("selfTest.tolerance must lie within 0..255");
    }
    if (vectors.size() > MAX_VECTORS) {
      problems.add("selfTest has more than " + MAX_VECTORS + " vectors");
    }
    for (Vector vector : vectors) {
      if (!int8(vector.input()) || !int8(vector.output())) {
        problems.add("selfTest vectors must be non-empty int8 arrays");
        break;
      }
    }
    return problems;
  }

  private static boolean int8(List<Integer> values) {
    return values != null
        && !values.isEmpty()
        && values.stream().allMatch(v -> v != null && v >= -128 && v <= 127);
  }
}
