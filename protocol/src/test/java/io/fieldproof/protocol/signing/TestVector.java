package io.fieldproof.protocol.signing;

/**
 * The test vector of docs/protocol.md: {@link SigningFixtures#vectorState()} in namespace plant-a,
 * signed with the RFC 8032 test key. The signature was checked with {@code openssl pkeyutl -sign
 * -rawin} over the same bytes.
 */
final class TestVector {

  static final int PAYLOAD_BYTES = 524;
  static final String PAYLOAD_SHA256 =
      "c9dea694c6c82d8ad15c953aebe3ee4d92d505a9fa6b8337153d629dd202283e";
  static final String KEY_ID = "21fe31dfa154a261";
  static final String SIGNATURE =
      "d91875dbff45236305a42d348ada41736a93b92ce38bd3177a82425aa24b7710"
          + "96b66bfafaff9928a333d1c989451df5b60dde929ca488b3fd145e6bd7f7940c";

  private TestVector() {}
}
