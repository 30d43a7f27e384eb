package io.fieldproof.operator.rollout.source;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which addresses a model may be fetched from. By default every address that reaches the operator's
 * own side of the network is refused: loopback, link-local (with the cloud metadata address),
 * private and unique-local, carrier-grade NAT, unspecified, multicast and reserved, plus the ranges
 * of fieldproof.url-source.blocked-cidrs (the cluster's Service and pod ranges). An allow-list
 * opens chosen ranges (allowed-cidrs) or hosts (allowed-hosts).
 *
 * <p>Precedence: a host in allowed-hosts may resolve to anything; otherwise, when an address is in
 * both allowed-cidrs and blocked-cidrs the longer prefix wins (a tie refuses); an allowed-cidrs
 * range opens the built-in ranges it covers.
 */
final class AddressPolicy {

  static final String ALLOWED_CIDRS = "fieldproof.url-source.allowed-cidrs";
  static final String ALLOWED_HOSTS = "fieldproof.url-source.allowed-hosts";
  static final String BLOCKED_CIDRS = "fieldproof.url-source.blocked-cidrs";

  private record Range(Cidr cidr, String kind) {}

  /** Checked in order: the first range that holds an address names its kind. */
  private static final List<Range> BUILT_IN =
      List.of(
          range("0.0.0.0/8", "an unspecified"),
          range("::/128", "an unspecified"),
          range("127.0.0.0/8", "a loopback"),
          range("::1/128", "a loopback"),
          range("169.254.169.254/32", "a link-local (cloud metadata)"),
          range("169.254.0.0/16", "a link-local"),
          range("fe80::/10", "a link-local"),
          range("10.0.0.0/8", "a private"),
          range("172.16.0.0/12", "a private"),
          range("192.168.0.0/16", "a private"),
          range("fc00::/7", "a private (unique local)"),
          range("fec0::/10", "a private (site-local)"),
          range("100.64.0.0/10", "a carrier-grade NAT"),
          range("224.0.0.0/4", "a multicast"),
          range("ff00::/8", "a multicast"),
          range("240.0.0.0/4", "a reserved"));

  /** IPv6 ranges whose last 32 bits are an IPv4 address: IPv4-compatible and NAT64. */
  private static final List<Cidr> EMBEDDING_IPV4 =
      List.of(Cidr.parse("::/96"), Cidr.parse("64:ff9b::/96"));

  private final List<Cidr> allowed;
  private final Set<String> allowedHosts;
  private final List<Cidr> blocked;

  AddressPolicy(List<Cidr> allowed, Set<String> allowedHosts, List<Cidr> blocked) {
    this.allowed = List.copyOf(allowed);
    this.allowedHosts =
        allowedHosts.stream()
            .map(AddressPolicy::normalHost)
            .collect(Collectors.toUnmodifiableSet());
    this.blocked = List.copyOf(blocked);
  }

  /** Nothing allowed beyond public addresses, nothing blocked beyond the built-in ranges. */
  static AddressPolicy defaults() {
    return new AddressPolicy(List.of(), Set.of(), List.of());
  }

  /** The policy of the fieldproof.url-source.* keys; a malformed range names its key. */
  static AddressPolicy of(UrlSourceConfig config) {
    return new AddressPolicy(
        cidrs(ALLOWED_CIDRS, config.allowedCidrs()),
        Set.copyOf(config.allowedHosts().orElse(List.of())),
        cidrs(BLOCKED_CIDRS, config.blockedCidrs()));
  }

  /** This policy with the ranges allowed as well. */
  AddressPolicy allowing(String... cidrs) {
    List<Cidr> more = new java.util.ArrayList<>(allowed);
    Arrays.stream(cidrs).map(Cidr::parse).forEach(more::add);
    return new AddressPolicy(more, allowedHosts, blocked);
  }

  /**
   * Why the host's address is refused ("127.0.0.1, a loopback address"), or empty when it may be
   * connected to.
   */
  Optional<String> refusal(String host, InetAddress address) {
    if (allowedHosts.contains(normalHost(host))) {
      return Optional.empty();
    }
    int allowedPrefix = longestPrefix(allowed, address);
    int blockedPrefix = longestPrefix(blocked, address);
    if (blockedPrefix >= 0 && blockedPrefix >= allowedPrefix) {
      return Optional.of(
          address.getHostAddress()
              + ", an address in "
              + BLOCKED_CIDRS
              + " ("
              + longest(blocked, address)
              + ")");
    }
    if (allowedPrefix >= 0) {
      return Optional.empty();
    }
    Optional<String> kind = builtIn(address);
    if (kind.isPresent()) {
      return Optional.of(address.getHostAddress() + ", " + kind.get() + " address");
    }
    return embeddedIpv4(address)
        .flatMap(
            ipv4 ->
                builtIn(ipv4)
                    .map(
                        embedded ->
                            address.getHostAddress()
                                + ", which embeds "
                                + ipv4.getHostAddress()
                                + ", "
                                + embedded
                                + " address"));
  }

  private static Optional<String> builtIn(InetAddress address) {
    for (Range range : BUILT_IN) {
      if (range.cidr().contains(address)) {
        return Optional.of(range.kind());
      }
    }
    return Optional.empty();
  }

  /** The IPv4 address in the last 32 bits of an IPv4-compatible or NAT64 IPv6 address. */
  private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
    if (address instanceof Inet6Address) {
      for (Cidr embedding : EMBEDDING_IPV4) {
        if (embedding.contains(address)) {
          return Optional.of(ipv4(Arrays.copyOfRange(address.getAddress(), 12, 16)));
        }
      }
    }
    return Optional.empty();
  }

  private static int longestPrefix(List<Cidr> cidrs, InetAddress address) {
    Cidr longest = longest(cidrs, address);
    return longest == null ? -1 : longest.prefix();
  }

  private static Cidr longest(List<Cidr> cidrs, InetAddress address) {
    Cidr longest = null;
    for (Cidr cidr : cidrs) {
      if (cidr.contains(address) && (longest == null || cidr.prefix() > longest.prefix())) {
        longest = cidr;
      }
    }
    return longest;
  }

  private static List<Cidr> cidrs(String key, Optional<List<String>> texts) {
    return texts.orElse(List.of()).stream()
        .filter(text -> !text.isBlank())
        .map(
            text -> {
              try {
                return Cidr.parse(text);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
              }
            })
        .toList();
  }

  /** Lower case, without IPv6 brackets or a trailing dot. */
  static String normalHost(String host) {
    String out = host.trim().toLowerCase(Locale.ROOT);
    if (out.startsWith("[") && out.endsWith("]")) {
      out = out.substring(1, out.length() - 1);
    }
    return out.endsWith(".") ? out.substring(0, out.length() - 1) : out;
  }

  private static InetAddress ipv4(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  private static Range range(String cidr, String kind) {
    return new Range(Cidr.parse(cidr), kind);
  }
}
