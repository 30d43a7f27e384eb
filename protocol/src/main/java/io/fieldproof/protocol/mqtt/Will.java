package io.fieldproof.protocol.mqtt;

/** The retained message the broker publishes for a client that vanishes without a goodbye. */
public record Will(String topic, byte[] payload) {}
