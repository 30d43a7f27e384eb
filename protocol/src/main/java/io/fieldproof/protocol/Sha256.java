package io.fieldproof.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 as the contract writes it: 64 lower-case hex digits. */
public final class Sha256 {

  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  private Sha256() {}

  /** A fresh digest, for content hashed in parts. */
  public static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public static String hex(byte[] content) {
    return format(digest().digest(content));
  }

  /** The hex form of a finished digest's output. */
  public static String hex(MessageDigest digest) {
    return format(digest.digest());
  }

  /** Whether {@code text} is a sha256 as the contract writes it. */
  public static boolean isHex(String text) {
    return text != null && HEX.matcher(text).matches();
  }

  private static String format(byte[] digestBytes) {
    return HexFormat.of().formatHex(digestBytes);
  }
}
