package io.fieldproof.operator.rollout.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An address range written as address/prefix (10.0.0.0/8, fc00::/7); a bare address is a range of
 * one. Parsed without any DNS lookup: only literal addresses are accepted.
 */
record Cidr(byte[] network, int prefix, String text) {

  /** The range of the text, or an IllegalArgumentException saying why it is none. */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = literal(address);
    if (bytes == null) {
      throw new IllegalArgumentException(text + " is not an IPv4 or IPv6 address range");
    }
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException(
            text + " has a prefix length outside 0.." + bytes.length * 8);
      }
    }
    return new Cidr(masked(bytes, prefix), prefix, trimmed);
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length && Arrays.equals(masked(bytes, prefix), network);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr cidr
        && cidr.prefix == prefix
        && Arrays.equals(cidr.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }

  private static byte[] masked(byte[] bytes, int prefix) {
    byte[] out = bytes.clone();
    for (int bit = prefix; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  /** The bytes of a literal IPv4 (four decimal parts) or IPv6 address; null for anything else. */
  private static byte[] literal(String text) {
    if (text.contains(":")) {
      if (!text.matches("[0-9A-Fa-f:.]+")) {
        return null;
      }
      try {
        // only hex digits, colons and dots: a literal, so no name is looked up
        byte[] bytes = InetAddress.getByName(text).getAddress();
        return bytes.length == 16 ? bytes : null;
      } catch (UnknownHostException e) {
        return null;
      }
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      out[i] = (byte) Integer.parseInt(parts[i]);
    }
    return out;
  }
}
