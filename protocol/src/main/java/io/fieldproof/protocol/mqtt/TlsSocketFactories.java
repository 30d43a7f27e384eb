package io.fieldproof.protocol.mqtt;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds the TLS socket factory for an ssl:// broker: trusting the given CA bundle (or the JVM's
 * trust store without one) and presenting the client certificate when one is configured.
 */
final class TlsSocketFactories {

  private TlsSocketFactories() {}

  static SSLSocketFactory create(MqttSettings settings) throws IOException {
    TrustManager[] trust = settings.caFile() == null ? null : trusting(settings.caFile());
    KeyManager[] keys =
        settings.clientCertFile() == null
            ? null
            : presenting(settings.clientCertFile(), settings.clientKeyFile());
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
  }

  private static TrustManager[] trusting(Path caFile) throws IOException {
    List<X509Certificate> certificates = PemFiles.certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < certificates.size(); i++) {
        store.setCertificateEntry("ca-" + i, certificates.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use CA bundle " + caFile + ": " + e.getMessage(), e);
    }
  }

  /** A key manager holding the client's certificate chain and its private key. */
  private static KeyManager[] presenting(Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    if (!chain.get(0).getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
      throw new IOException(
          "client key "
              + keyFile
              + " ("
              + key.getAlgorithm()
              + ") does not belong to certificate "
              + certFile
              + " ("
              + chain.get(0).getPublicKey().getAlgorithm()
              + ")");
    }
    char[] password = new char[0];
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException e) {
      throw new IOException(
          "cannot use client certificate " + certFile + " with key " + keyFile + ": " + e, e);
    } finally {
      Arrays.fill(password, ' ');
    }
  }
}
