package io.fieldproof.model.cli;

/** A failure the CLI reports on stderr as one sentence, exiting with {@link #exitCode()}. */
final class CliException extends RuntimeException {

  /** Wrong arguments or unreadable input: exit 2. */
  static final int USAGE = 2;

  /** The model was refused (not TFLite, corrupt, float, unsupported): exit 3. */
  static final int REFUSED = 3;

  /** The model does not fit the chip or device: exit 4. */
  static final int DOES_NOT_FIT = 4;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
