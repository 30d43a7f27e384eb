package io.fieldproof.device.protocol;

import java.util.Objects;

/**
 * The model held by a slot, as the device reports it.
 *
 * @param name model name
 * @param version model version
 * @param sha256 lower-case hex digest of the model bytes
 * @param size model size in bytes
 */
public record ModelRef(String name, String version, String sha256, long size) {

  public ModelRef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
  }
}
