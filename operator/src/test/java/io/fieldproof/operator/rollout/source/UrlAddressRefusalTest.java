package io.fieldproof.operator.rollout.source;

import static io.fieldproof.operator.rollout.source.ModelServer.FIXTURE_SHA256;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Model URLs whose host resolves to an address on the operator's side of the network: refused
 * before any connection (the server there counts no request), on the first hop and on every
 * redirect, unless the allow-list opens them. Host names resolve through a test resolver that
 * records its lookups.
 */
class UrlAddressRefusalTest {

  private static final String REFUSED_BY_DEFAULT =
      "; allow it with fieldproof.url-source.allowed-cidrs or fieldproof.url-source.allowed-hosts";

  private final FetchLimits limits =
      new FetchLimits(4L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5), 3);
  private final List<String> lookups = new ArrayList<>();
  private ModelServer server;
  private byte[] model;

  @BeforeEach
  void start() throws IOException {
    server = ModelServer.start();
    model = ModelServer.fixture();
    server.serve("/model.tflite", ModelServer.file(model));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theLoopbackIsRefusedByDefaultAndTheServerSeesNoRequest() {
    FetchResult result = fetch(AddressPolicy.defaults(), server.url("/model.tflite"));

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.ADDRESS_REFUSED,
                "resolves to 127.0.0.1, a loopback address" + REFUSED_BY_DEFAULT));
    assertThat(server.requests()).isZero();
  }

  @Test
  void localhostThroughTheSystemResolverIsRefused() {
    FetchResult result =
        new HttpModelFetcher(
                limits, AddressPolicy.defaults(), HostResolver.SYSTEM, SourceTls.defaults())
            .fetch(SourceUrl.parse(server.url("localhost", "/model.tflite")), FIXTURE_SHA256);

    assertThat(((FetchResult.Failed) result).problem()).isEqualTo(FetchProblem.ADDRESS_REFUSED);
    assertThat(((FetchResult.Failed) result).detail()).contains("a loopback address");
    assertThat(server.requests()).isZero();
  }

  @Test
  void aHostNameResolvingToAPrivateAddressIsRefused() {
    FetchResult result =
        fetch(
            AddressPolicy.defaults(),
            Map.of("models.corp.example", List.of("10.20.30.40")),
            "http://models.corp.example/model.tflite");

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.ADDRESS_REFUSED,
                "resolves to 10.20.30.40, a private address" + REFUSED_BY_DEFAULT));
  }

  @Test
  void oneRefusedAddressAmongPublicOnesRefusesTheHost() {
    FetchResult result =
        fetch(
            AddressPolicy.defaults(),
            Map.of("models.example", List.of("93.184.216.34", "169.254.169.254")),
            "http://models.example/model.tflite");

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.ADDRESS_REFUSED,
                "resolves to 169.254.169.254, a link-local (cloud metadata) address"
                    + REFUSED_BY_DEFAULT));
  }

  @Test
  void anAllowListedRangeIsFetchedFrom() {
    FetchResult result =
        fetch(AddressPolicy.defaults().allowing("127.0.0.0/8"), server.url("/model.tflite"));

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void anAllowListedHostIsFetchedFromAtTheCheckedAddressWithItsOwnHostHeader() {
    AddressPolicy policy = new AddressPolicy(List.of(), Set.of("models.cluster.test"), List.of());

    FetchResult result =
        fetch(
            policy,
            Map.of("models.cluster.test", List.of("127.0.0.1")),
            server.url("models.cluster.test", "/model.tflite"));

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(server.hosts()).containsExactly(hostHeader("models.cluster.test"));
    assertThat(lookups).containsExactly("models.cluster.test");
  }

  @Test
  void theConnectionGoesToTheCheckedAddressWithoutASecondLookup() {
    // a rebinding resolver: the first answer is allowed, any later one would be the metadata
    // address
    List<String> seen = new ArrayList<>();
    HostResolver rebinding =
        host -> {
          seen.add(host);
          return List.of(InetAddress.getByName(seen.size() == 1 ? "127.0.0.1" : "169.254.169.254"));
        };
    FetchResult result =
        new HttpModelFetcher(
                limits,
                AddressPolicy.defaults().allowing("127.0.0.1"),
                rebinding,
                SourceTls.defaults())
            .fetch(SourceUrl.parse(server.url("rebind.test", "/model.tflite")), FIXTURE_SHA256);

    assertThat(result).isInstanceOf(FetchResult.Fetched.class);
    assertThat(seen).containsExactly("rebind.test");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aRedirectToARefusedAddressIsRefusedAndThatServerSeesNoRequest() throws IOException {
    try (ModelServer internal = ModelServer.start(InetAddress.getByName("127.0.0.2"))) {
      internal.serve("/model.tflite", ModelServer.file(model));
      server.serve("/moved", ModelServer.redirect(302, internal.url("/model.tflite")));

      FetchResult result =
          fetch(AddressPolicy.defaults().allowing("127.0.0.1/32"), server.url("/moved"));

      assertThat(result)
          .isEqualTo(
              new FetchResult.Failed(
                  FetchProblem.ADDRESS_REFUSED,
                  "redirects to "
                      + internal.url("/model.tflite")
                      + ", which resolves to 127.0.0.2, a loopback address"
                      + REFUSED_BY_DEFAULT));
      assertThat(server.requests()).isEqualTo(1);
      assertThat(internal.requests()).isZero();
    }
  }

  @Test
  void aRedirectToANameOfAPrivateAddressIsRefusedOnItsHop() {
    server.serve("/moved", ModelServer.redirect(301, "http://metadata.test/latest/meta-data/"));

    FetchResult result =
        fetch(
            AddressPolicy.defaults().allowing("127.0.0.1/32"),
            Map.of("metadata.test", List.of("169.254.169.254")),
            server.url("/moved"));

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(
                FetchProblem.ADDRESS_REFUSED,
                "redirects to http://metadata.test/latest/meta-data/, which resolves to"
                    + " 169.254.169.254, a link-local (cloud metadata) address"
                    + REFUSED_BY_DEFAULT));
    assertThat(lookups).containsExactly("127.0.0.1", "metadata.test");
  }

  @Test
  void aRedirectWithinTheAllowListIsFollowed() throws IOException {
    try (ModelServer other = ModelServer.start(InetAddress.getByName("127.0.0.2"))) {
      other.serve("/model.tflite", ModelServer.file(model));
      server.serve("/moved", ModelServer.redirect(307, other.url("/model.tflite")));

      FetchResult result =
          fetch(AddressPolicy.defaults().allowing("127.0.0.0/30"), server.url("/moved"));

      assertThat(result).isInstanceOf(FetchResult.Fetched.class);
      assertThat(other.requests()).isEqualTo(1);
    }
  }

  @Test
  void aNameThatDoesNotResolveWaits() {
    FetchResult result =
        fetch(AddressPolicy.defaults(), Map.of(), "http://nowhere.test/model.tflite");

    assertThat(result)
        .isEqualTo(
            new FetchResult.Failed(FetchProblem.UNRESOLVED, "host nowhere.test does not resolve"));
    assertThat(FetchProblem.UNRESOLVED.isTransient()).isTrue();
    assertThat(FetchProblem.ADDRESS_REFUSED.isTransient()).isFalse();
  }

  private String hostHeader(String host) {
    return server.url(host, "").substring("http://".length());
  }

  private FetchResult fetch(AddressPolicy policy, String url) {
    return fetch(policy, Map.of(), url);
  }

  /** Names of the map resolve to its addresses, literal addresses to themselves. */
  private FetchResult fetch(AddressPolicy policy, Map<String, List<String>> names, String url) {
    HostResolver resolver =
        host -> {
          lookups.add(host);
          if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
            return List.of(InetAddress.getByName(host));
          }
          if (!names.containsKey(host)) {
            throw new UnknownHostException(host);
          }
          List<InetAddress> addresses = new ArrayList<>();
          for (String address : names.get(host)) {
            addresses.add(InetAddress.getByName(address));
          }
          return addresses;
        };
    return new HttpModelFetcher(limits, policy, resolver, SourceTls.defaults())
        .fetch(SourceUrl.parse(url), FIXTURE_SHA256);
  }
}
