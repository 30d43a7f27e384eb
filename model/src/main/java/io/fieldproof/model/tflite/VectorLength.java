package io.fieldproof.model.tflite;

/**
 * Checks vector lengths read from a flatbuffer before anything is allocated for them: a corrupt
 * length could otherwise ask for gigabytes. A vector cannot hold more elements than the file has
 * room for.
 */
final class VectorLength {

  private final int fileBytes;

  VectorLength(int fileBytes) {
    this.fileBytes = fileBytes;
  }

  /**
   * Returns {@code length} when {@code length} elements of {@code elementBytes} each fit the file.
   *
   * @throws ModelRejectedException ({@link RejectionReason#CORRUPT}) otherwise
   */
  int check(int length, int elementBytes, String what) {
    if (length < 0 || (long) length * elementBytes > fileBytes) {
      throw new ModelRejectedException(
          RejectionReason.CORRUPT,
          "vector of " + what + " claims " + length + " elements in a " + fileBytes + "-byte file");
    }
    return length;
  }
}
