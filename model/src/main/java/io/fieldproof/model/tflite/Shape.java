package io.fieldproof.model.tflite;

import java.util.Arrays;

/** The static dimensions of a tensor, outermost first (NHWC for images). Immutable. */
public final class Shape {

  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  /** A shape with the given dimensions (copied). */
  public static Shape of(int... dims) {
    return new Shape(dims.clone());
  }

  /** Number of dimensions; 0 for a scalar. */
  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}. */
  public int dim(int i) {
    return dims[i];
  }

  /** A copy of all dimensions. */
  public int[] dims() {
    return dims.clone();
  }

  /** Number of elements: the product of the dimensions (1 for a scalar). */
  public int flatSize() {
    long size = 1;
    for (int d : dims) {
      size *= d;
    }
    return Math.toIntExact(size);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Shape shape && Arrays.equals(dims, shape.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    return Arrays.toString(dims);
  }
}
