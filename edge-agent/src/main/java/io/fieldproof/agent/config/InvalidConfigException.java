package io.fieldproof.agent.config;

import java.io.IOException;

/** The agent's configuration is unusable; the message lists every problem with its key. */
public final class InvalidConfigException extends IOException {
  public InvalidConfigException(String message) {
    super(message);
  }
}
