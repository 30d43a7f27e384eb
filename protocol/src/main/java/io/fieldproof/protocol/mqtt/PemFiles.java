package io.fieldproof.protocol.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads PEM certificates and unencrypted PKCS#8 private keys (RSA or EC) with the JDK alone. */
final class PemFiles {

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----");

  private PemFiles() {}

  /** Every certificate in the file, in order; fails when there is none. */
  static List<X509Certificate> certificates(Path file) throws IOException {
    readable(file);
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = new ArrayList<>();
      CertificateFactory.getInstance("X.509")
          .generateCertificates(in)
          .forEach(c -> certificates.add((X509Certificate) c));
      if (certificates.isEmpty()) {
        throw new IOException(file + ": no PEM certificate in it");
      }
      return certificates;
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The private key of a "BEGIN PRIVATE KEY" block; other encodings are refused by name. */
  static PrivateKey privateKey(Path file) throws IOException {
    readable(file);
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    Matcher block = BLOCK.matcher(text);
    while (block.find()) {
      String type = block.group(1);
      if (type.equals("PRIVATE KEY")) {
        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
        return pkcs8(file, der);
      }
      if (type.endsWith("PRIVATE KEY")) {
        throw new IOException(
            file
                + ": a "
                + type
                + " block; the key must be unencrypted PKCS#8 (BEGIN PRIVATE KEY): convert it with"
                + " `openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8`, or with cert-manager set"
                + " privateKey.encoding: PKCS8");
      }
    }
    throw new IOException(file + ": no PEM private key (BEGIN PRIVATE KEY) in it");
  }

  private static void readable(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IOException("cannot read " + file);
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IOException(file + ": the PKCS#8 key is neither RSA nor EC");
  }
}
