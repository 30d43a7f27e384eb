package io.fieldproof.operator.rollout.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS trust for https model URLs: the JVM's default CAs, plus the CAs of the PEM bundle at
 * fieldproof.url-source.ca-file when it is set (in addition to the defaults, not instead of them,
 * so a public model host keeps working next to one signed by a private CA).
 */
final class SourceTls {

  static final String CA_FILE = "fieldproof.url-source.ca-file";

  private SourceTls() {}

  /** The JVM's default trust only. */
  static SSLSocketFactory defaults() {
    try {
      return SSLContext.getDefault().getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no default TLS context", e);
    }
  }

  /** The JVM's default CAs and, if set, those of the config's CA file. */
  static SSLSocketFactory of(UrlSourceConfig config) {
    return config.caFile().map(Path::of).map(SourceTls::withCaFile).orElseGet(SourceTls::defaults);
  }

  /** The JVM's default CAs and those of the PEM bundle; an unreadable or empty file is refused. */
  static SSLSocketFactory withCaFile(Path caFile) {
    Collection<? extends Certificate> extra = certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int index = 0;
      for (X509Certificate ca : defaultTrustManager().getAcceptedIssuers()) {
        store.setCertificateEntry("default-" + index++, ca);
      }
      index = 0;
      for (Certificate ca : extra) {
        store.setCertificateEntry("ca-file-" + index++, ca);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust of " + CA_FILE, e);
    }
  }

  private static Collection<? extends Certificate> certificates(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      Collection<? extends Certificate> certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(CA_FILE + " " + caFile + " holds no certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new IllegalArgumentException(CA_FILE + " " + caFile + " cannot be read: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          CA_FILE + " " + caFile + " is not a PEM bundle of certificates: " + e.getMessage(), e);
    }
  }

  private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init((KeyStore) null);
    for (var manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("this JVM has no default X509 trust manager");
  }
}
