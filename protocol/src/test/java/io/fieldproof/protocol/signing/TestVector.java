package io.fieldproof.protocol.signing;

/**
 * The test vector of docs/protocol.md: {@link SigningFixtures#vectorState()} in namespace plant-a,
 * signed at {@link SigningFixtures#SIGNED_AT} with the RFC 8032 test key. The signature was checked
 * with {@code openssl pkeyutl -sign -rawin} over the same bytes.
 */
final class TestVector {

  static final int PAYLOAD_BYTES = 533;
  static final String PAYLOAD_SHA256 =
      "4533bd81520de1c41eaf88a7dc1dfc3abca51ce9cd9bcd25636a8aebc1b2dfe7";
  static final String KEY_ID = "21fe31dfa154a261";
  static final String SIGNATURE =
      "9c8441e7c469961faf924cf59adc45723afb2262e71c66fe093a420a21ebac5c"
          + "9fd4c330a955c2bfdd7194c43c011c0ecbf7f19efcce2c4c74288328e9567008";

  private TestVector() {}
}
