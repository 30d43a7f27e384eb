package io.fieldproof.device.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CONFIG request body.
 *
 * @param generation generation of the desired state the configuration comes from, at least 1
 * @param config the runtime configuration; opaque to the link
 */
public record ConfigRequest(long generation, JsonNode config) {}
