package io.fieldproof.model.footprint;

import io.fieldproof.model.tflite.Operator;
import io.fieldproof.model.tflite.TfliteModel;
import java.util.Arrays;

/**
 * When each tensor is alive, in TFLM's time steps ({@code micro_allocation_info.cc}): model inputs
 * are created at step 0; operator {@code i} runs at step {@code i + 1}, creating its outputs and
 * last using its inputs and outputs there; model outputs live to the step of the last operator. A
 * tensor nothing touches keeps -1 for both.
 */
public final class TensorLifetimes {

  /** Marker of a step not set. */
  public static final int UNUSED = -1;

  private final int[] firstCreated;
  private final int[] lastUsed;

  private TensorLifetimes(int[] firstCreated, int[] lastUsed) {
    this.firstCreated = firstCreated;
    this.lastUsed = lastUsed;
  }

  /** Computes the lifetimes of every tensor of {@code model}. */
  public static TensorLifetimes of(TfliteModel model) {
    int tensors = model.tensors().size();
    int[] first = new int[tensors];
    int[] last = new int[tensors];
    Arrays.fill(first, UNUSED);
    Arrays.fill(last, UNUSED);
    int step = 0;
    for (int input : model.inputs()) {
      create(first, input, step);
      last[input] = step;
    }
    for (Operator op : model.operators()) {
      step++;
      for (int output : op.outputs()) {
        create(first, output, step);
      }
      for (int input : op.inputs()) {
        if (input >= 0) {
          last[input] = step;
        }
      }
      for (int output : op.outputs()) {
        last[output] = step;
      }
    }
    for (int output : model.outputs()) {
      create(first, output, step);
      last[output] = step;
    }
    return new TensorLifetimes(first, last);
  }

  private static void create(int[] first, int tensor, int step) {
    if (first[tensor] == UNUSED) {
      first[tensor] = step;
    }
  }

  /** The step tensor {@code index} is first alive, or {@link #UNUSED}. */
  public int firstCreated(int index) {
    return firstCreated[index];
  }

  /** The step tensor {@code index} is last alive, or {@link #UNUSED}. */
  public int lastUsed(int index) {
    return lastUsed[index];
  }
}
