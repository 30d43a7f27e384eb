package io.fieldproof.protocol;

/**
 * The operator's signature over a desired state (see {@code signing.SigningPayload} for the bytes
 * it covers).
 *
 * @param alg always {@value #ED25519}
 * @param keyId the first 16 hex digits of the sha256 of the signer's raw 32-byte public key
 * @param signedAt when it was signed, in milliseconds since the epoch, and signed with the state:
 *     it only grows for a device, so an agent refuses a replayed older state
 * @param value the 64-byte Ed25519 signature, base64 (standard alphabet, padded)
 */
public record DesiredSignature(String alg, String keyId, Long signedAt, String value) {

  public static final String ED25519 = "Ed25519";
}
