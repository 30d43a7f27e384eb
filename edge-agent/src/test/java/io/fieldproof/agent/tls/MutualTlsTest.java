package io.fieldproof.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fieldproof.protocol.mqtt.MqttSession;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.testsupport.MosquittoBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS against real Mosquitto TLS listeners (require_certificate, CRL) with a CA made for the
 * test: the good client certificate connects, and each misconfiguration is refused with its cause
 * in words.
 */
class MutualTlsTest {

  @TempDir static Path dir;

  private static TestCa ca;
  private static TestCa stranger;
  private static TestCa.Issued client;
  private static TestCa.Issued rsaClient;
  private static TestCa.Issued expired;
  private static TestCa.Issued revoked;
  private static TestCa.Issued unknown;
  private static MosquittoBroker tls;
  private static MosquittoBroker misnamed;
  private static MosquittoBroker plain;

  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
  private MqttSession session;

  @BeforeAll
  static void brokers() throws IOException {
    ca = TestCa.create(Files.createDirectories(dir.resolve("ca")), "fieldproof-test-ca");
    stranger = TestCa.create(Files.createDirectories(dir.resolve("stranger")), "stranger-ca");
    TestCa.Issued broker = ca.issue("broker", "ec", "IP:127.0.0.1,DNS:localhost");
    TestCa.Issued elsewhere = ca.issue("elsewhere", "ec", "DNS:broker.example.org");
    client = ca.issue("gw-1", "ec", null);
    rsaClient = ca.issue("gw-2", "rsa", null);
    expired = ca.issueExpired("gw-old");
    revoked = ca.issue("gw-stolen", "ec", null);
    ca.revoke(revoked);
    unknown = stranger.issue("gw-foreign", "ec", null);
    Path crl = ca.crl();
    tls =
        MosquittoBroker.startTls(
            new MosquittoBroker.Tls(ca.cert(), broker.cert(), broker.key(), crl));
    misnamed =
        MosquittoBroker.startTls(
            new MosquittoBroker.Tls(ca.cert(), elsewhere.cert(), elsewhere.key(), crl));
    plain = MosquittoBroker.start();
  }

  @AfterAll
  static void stopBrokers() {
    for (MosquittoBroker broker : new MosquittoBroker[] {tls, misnamed, plain}) {
      if (broker != null) {
        broker.close();
      }
    }
  }

  @AfterEach
  void close() {
    if (session != null) {
      session.close();
    }
    scheduler.shutdownNow();
  }

  @Test
  void aClientCertificateOfTheBrokersCaConnectsWithAnEcKey() throws IOException {
    assertConnects(settings(tls.uri(), ca.cert(), client));
  }

  @Test
  void aClientCertificateWithAnRsaKeyConnects() throws IOException {
    assertConnects(settings(tls.uri(), ca.cert(), rsaClient));
  }

  @Test
  void aBrokerCertificateOfAnotherCaIsRefused() throws IOException {
    assertRefused(
        settings(tls.uri(), stranger.cert(), client),
        "the broker's certificate is not signed by the configured CA (" + stranger.cert() + ")");
  }

  @Test
  void aBrokerCertificateForAnotherHostIsRefused() throws IOException {
    assertRefused(
        settings(misnamed.uri(), ca.cert(), client),
        "the broker's certificate does not name host 127.0.0.1");
  }

  @Test
  void anExpiredClientCertificateIsRefusedByTheBroker() throws IOException {
    assertRefused(
        settings(tls.uri(), ca.cert(), expired),
        "the broker refused our client certificate (expired)");
  }

  @Test
  void aRevokedClientCertificateIsRefusedByTheBroker() throws IOException {
    assertRefused(
        settings(tls.uri(), ca.cert(), revoked),
        "the broker refused our client certificate (revoked)");
  }

  @Test
  void aClientCertificateOfAnUnknownCaIsRefusedByTheBroker() throws IOException {
    assertRefused(
        settings(tls.uri(), ca.cert(), unknown),
        "the broker refused our client certificate (signed by a CA the broker does not trust)");
  }

  @Test
  void plainTcpToTheTlsPortIsRefused() throws IOException {
    assertRefused(
        settings(tls.uri().replace("ssl://", "tcp://"), null, null),
        "the broker closed the connection without answering CONNECT: it most likely speaks TLS"
            + " on this port and we connected without it (use ssl://)");
  }

  @Test
  void tlsToAPlainPortIsRefused() throws IOException {
    assertRefused(
        settings(plain.uri().replace("tcp://", "ssl://"), ca.cert(), client),
        "the broker does not speak TLS on this port and we connected with it (use tcp://)");
  }

  @Test
  void aKeyThatIsNotPkcs8IsRefusedBeforeConnecting() throws IOException {
    Path sec1 = dir.resolve("sec1.key");
    Files.writeString(sec1, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    MqttSettings settings = settings(tls.uri(), ca.cert(), new TestCa.Issued(client.cert(), sec1));

    assertThatThrownBy(() -> new MqttSession(settings, null, r -> {}, scheduler))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("must be unencrypted PKCS#8 (BEGIN PRIVATE KEY)");
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedBeforeConnecting() throws IOException {
    MqttSettings settings =
        settings(tls.uri(), ca.cert(), new TestCa.Issued(client.cert(), rsaClient.key()));

    assertThatThrownBy(() -> new MqttSession(settings, null, r -> {}, scheduler))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not belong to certificate");
  }

  private void assertConnects(MqttSettings settings) throws IOException {
    session = new MqttSession(settings, null, r -> {}, scheduler);
    session.start();
    await().atMost(Duration.ofSeconds(20)).until(session::isConnected);
    assertThat(session.tlsProblem()).isEmpty();
  }

  private void assertRefused(MqttSettings settings, String message) throws IOException {
    session = new MqttSession(settings, null, r -> {}, scheduler);
    session.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(session.tlsProblem()).hasValue(message));
    assertThat(session.isConnected()).isFalse();
  }

  private static MqttSettings settings(String uri, Path caFile, TestCa.Issued certificate) {
    return new MqttSettings(
        uri,
        "mtls-test-" + System.nanoTime(),
        null,
        null,
        caFile,
        certificate == null ? null : certificate.cert(),
        certificate == null ? null : certificate.key(),
        true,
        true,
        Duration.ZERO,
        Duration.ofSeconds(30),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        null,
        MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE);
  }
}
