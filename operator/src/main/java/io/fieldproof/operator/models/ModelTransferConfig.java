package io.fieldproof.operator.models;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How models are cut for the agents (fieldproof.models.*). */
@ConfigMapping(prefix = "fieldproof.models")
public interface ModelTransferConfig {

  /**
   * Bytes per chunk, between 1 KiB and 48 KiB; a model with more than 512 chunks of this size is
   * cut into larger ones.
   */
  @WithDefault("16384")
  int chunkSize();
}
