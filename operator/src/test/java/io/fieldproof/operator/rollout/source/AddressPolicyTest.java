package io.fieldproof.operator.rollout.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which addresses are refused by default, and how the allow-list and blocked ranges change it. */
class AddressPolicyTest {

  private final AddressPolicy defaults = AddressPolicy.defaults();

  @Test
  void theOperatorsSideOfTheNetworkIsRefusedByDefault() {
    assertThat(refusal(defaults, "127.0.0.1")).hasValue("127.0.0.1, a loopback address");
    assertThat(refusal(defaults, "127.255.0.9")).hasValue("127.255.0.9, a loopback address");
    assertThat(refusal(defaults, "::1")).hasValue("0:0:0:0:0:0:0:1, a loopback address");
    assertThat(refusal(defaults, "169.254.169.254"))
        .hasValue("169.254.169.254, a link-local (cloud metadata) address");
    assertThat(refusal(defaults, "169.254.1.1")).hasValue("169.254.1.1, a link-local address");
    assertThat(refusal(defaults, "fe80::1")).hasValue("fe80:0:0:0:0:0:0:1, a link-local address");
    assertThat(refusal(defaults, "10.96.0.1")).hasValue("10.96.0.1, a private address");
    assertThat(refusal(defaults, "172.16.0.1")).hasValue("172.16.0.1, a private address");
    assertThat(refusal(defaults, "172.31.255.255")).hasValue("172.31.255.255, a private address");
    assertThat(refusal(defaults, "192.168.1.1")).hasValue("192.168.1.1, a private address");
    assertThat(refusal(defaults, "fd12:3456::1"))
        .hasValue("fd12:3456:0:0:0:0:0:1, a private (unique local) address");
    assertThat(refusal(defaults, "100.64.0.1")).hasValue("100.64.0.1, a carrier-grade NAT address");
    assertThat(refusal(defaults, "100.127.255.254"))
        .hasValue("100.127.255.254, a carrier-grade NAT address");
    assertThat(refusal(defaults, "0.0.0.0")).hasValue("0.0.0.0, an unspecified address");
    assertThat(refusal(defaults, "::")).hasValue("0:0:0:0:0:0:0:0, an unspecified address");
    assertThat(refusal(defaults, "224.0.0.251")).hasValue("224.0.0.251, a multicast address");
    assertThat(refusal(defaults, "ff02::1")).hasValue("ff02:0:0:0:0:0:0:1, a multicast address");
    assertThat(refusal(defaults, "255.255.255.255"))
        .hasValue("255.255.255.255, a reserved address");
  }

  @Test
  void ipv4InsideIpv6IsJudgedByItsIpv4() {
    // the JDK turns ::ffff:a.b.c.d into an IPv4 address itself
    assertThat(refusal(defaults, "::ffff:127.0.0.1")).hasValue("127.0.0.1, a loopback address");
    assertThat(refusal(defaults, "64:ff9b::a9fe:a9fe"))
        .hasValue(
            "64:ff9b:0:0:0:0:a9fe:a9fe, which embeds 169.254.169.254, a link-local (cloud"
                + " metadata) address");
    assertThat(refusal(defaults, "::a00:1"))
        .hasValue("0:0:0:0:0:0:a00:1, which embeds 10.0.0.1, a private address");
    assertThat(refusal(defaults, "64:ff9b::808:808")).isEmpty();
  }

  @Test
  void publicAddressesAndTheEdgesOfThePrivateRangesAreAllowed() {
    for (String address :
        List.of(
            "93.184.216.34",
            "172.15.255.255",
            "172.32.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "169.253.255.255",
            "11.0.0.0",
            "2001:db8::1",
            "2606:4700::1111")) {
      assertThat(refusal(defaults, address)).as(address).isEmpty();
    }
  }

  @Test
  void anAllowedRangeOpensOnlyItself() {
    AddressPolicy policy = defaults.allowing("10.20.0.0/16", "fd00::/8");

    assertThat(refusal(policy, "10.20.3.4")).isEmpty();
    assertThat(refusal(policy, "fd00::5")).isEmpty();
    assertThat(refusal(policy, "10.21.0.1")).hasValue("10.21.0.1, a private address");
    assertThat(refusal(policy, "127.0.0.1")).hasValue("127.0.0.1, a loopback address");
  }

  @Test
  void blockedRangesAddToTheBuiltInOnesAndTheLongerPrefixWins() {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("198.51.100.7")),
            Set.of(),
            List.of(Cidr.parse("10.96.0.0/12"), Cidr.parse("198.51.100.0/24")));

    assertThat(refusal(policy, "10.1.2.3")).isEmpty();
    assertThat(refusal(policy, "10.96.0.10"))
        .hasValue("10.96.0.10, an address in fieldproof.url-source.blocked-cidrs (10.96.0.0/12)");
    assertThat(refusal(policy, "198.51.100.8"))
        .hasValue(
            "198.51.100.8, an address in fieldproof.url-source.blocked-cidrs (198.51.100.0/24)");
    assertThat(refusal(policy, "198.51.100.7")).isEmpty();
  }

  @Test
  void anAllowedHostMayResolveToAnything() throws UnknownHostException {
    AddressPolicy policy =
        new AddressPolicy(
            List.of(), Set.of("Models.Fieldproof.svc"), List.of(Cidr.parse("10.96.0.0/12")));
    InetAddress service = InetAddress.getByName("10.96.0.10");

    assertThat(policy.refusal("models.fieldproof.svc.", service)).isEmpty();
    assertThat(policy.refusal("other.fieldproof.svc", service)).isPresent();
  }

  @Test
  void rangesAreLiteralAddressesWithAPrefix() {
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("192.0.2.1").prefix()).isEqualTo(32);
    assertThat(Cidr.parse("2001:db8::/32").prefix()).isEqualTo(32);
    for (String bad : List.of("10.0.0.0/33", "10.1/8", "example.com/24", "::1/129", "10.0.0.0/x")) {
      assertThatThrownBy(() -> Cidr.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Optional<String> refusal(AddressPolicy policy, String address) {
    try {
      return policy.refusal("host.example", InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
