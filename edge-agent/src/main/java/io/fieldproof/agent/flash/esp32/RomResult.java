package io.fieldproof.agent.flash.esp32;

/** What a successful command returned: the reply's value field and its result bytes. */
record RomResult(int value, byte[] result) {}
