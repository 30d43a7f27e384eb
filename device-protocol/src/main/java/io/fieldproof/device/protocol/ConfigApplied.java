package io.fieldproof.device.protocol;

/**
 * The CONFIG response body.
 *
 * @param appliedGeneration the generation the device runs with after the request
 */
public record ConfigApplied(long appliedGeneration) {}
