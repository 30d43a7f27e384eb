package io.fieldproof.protocol;

/** Identifies one model build by name, version and content (sha256 of the .tflite file). */
public record ModelRef(String name, String version, String sha256, long size) {}
