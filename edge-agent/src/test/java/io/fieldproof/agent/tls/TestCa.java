package io.fieldproof.agent.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A certificate authority made for one test with the openssl command (`openssl ca`, so that it can
 * issue certificates valid in the past and revoke them into a CRL).
 */
final class TestCa {

  /** A certificate and its PKCS#8 key. */
  record Issued(Path cert, Path key) {}

  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  static TestCa create(Path dir, String name) {
    try {
      Files.createDirectories(dir.resolve("newcerts"));
      Files.writeString(dir.resolve("index.txt"), "");
      Files.writeString(dir.resolve("serial"), "1000\n");
      Files.writeString(dir.resolve("crlnumber"), "1000\n");
      Files.writeString(
          dir.resolve("ca.cnf"),
          String.join(
              "\n",
              "[ ca ]",
              "default_ca = test",
              "[ test ]",
              "database = " + dir.resolve("index.txt"),
              "new_certs_dir = " + dir.resolve("newcerts"),
              "serial = " + dir.resolve("serial"),
              "crlnumber = " + dir.resolve("crlnumber"),
              "certificate = " + dir.resolve("ca.crt"),
              "private_key = " + dir.resolve("ca.key"),
              "default_md = sha256",
              "default_days = 2",
              "default_crl_days = 2",
              "policy = any",
              "unique_subject = no",
              "copy_extensions = copy",
              "[ any ]",
              "commonName = supplied",
              ""));
      TestCa ca = new TestCa(dir);
      ca.openssl(
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:prime256v1",
          "-nodes",
          "-keyout",
          dir.resolve("ca.key").toString(),
          "-out",
          dir.resolve("ca.crt").toString(),
          "-days",
          "2",
          "-subj",
          "/CN=" + name);
      return ca;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path cert() {
    return dir.resolve("ca.crt");
  }

  /** A certificate valid now, with the given subject alternative names (or none). */
  Issued issue(String name, String keyType, String subjectAltNames) {
    return issue(name, keyType, subjectAltNames, null, null);
  }

  /** A certificate that expired in 2020. */
  Issued issueExpired(String name) {
    return issue(name, "ec", null, "20200101000000Z", "20200102000000Z");
  }

  void revoke(Issued issued) {
    openssl("ca", "-config", dir.resolve("ca.cnf").toString(), "-revoke", issued.cert().toString());
  }

  /** The CA's current revocation list. */
  Path crl() {
    Path crl = dir.resolve("crl.pem");
    openssl("ca", "-config", dir.resolve("ca.cnf").toString(), "-gencrl", "-out", crl.toString());
    return crl;
  }

  private Issued issue(String name, String keyType, String sans, String start, String end) {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".crt");
    List<String> request = new ArrayList<>(List.of("req", "-new", "-nodes"));
    request.addAll(
        keyType.equals("rsa")
            ? List.of("-newkey", "rsa:2048")
            : List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"));
    request.addAll(
        List.of("-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name));
    if (sans != null) {
      request.addAll(List.of("-addext", "subjectAltName=" + sans));
    }
    openssl(request.toArray(String[]::new));
    List<String> sign =
        new ArrayList<>(
            List.of(
                "ca",
                "-batch",
                "-notext",
                "-config",
                dir.resolve("ca.cnf").toString(),
                "-in",
                csr.toString(),
                "-out",
                cert.toString()));
    if (start != null) {
      sign.addAll(List.of("-startdate", start, "-enddate", end));
    }
    openssl(sign.toArray(String[]::new));
    return new Issued(cert, key);
  }

  private void openssl(String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException("openssl is missing: apt-get install -y openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
