package io.fieldproof.protocol;

import java.util.List;

/** A JSON message of the contract: versioned, and able to list what is wrong with it. */
public interface Message {

  /** The schema version every message carries as "v". */
  int VERSION = 1;

  int v();

  /** Problems with required fields and bounds; empty when the message is well-formed. */
  List<String> problems();
}
