package io.fieldproof.operator.rollout.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A CA made for one test by the JDK's keytool, and a server certificate it signed for one DNS name:
 * the CA as a PEM file (what fieldproof.url-source.ca-file names) and the server's key store.
 */
final class TestCa {

  private static final String PASSWORD = "fieldproof";

  private final Path caPem;
  private final Path serverKeys;

  private TestCa(Path caPem, Path serverKeys) {
    this.caPem = caPem;
    this.serverKeys = serverKeys;
  }

  /** A fresh CA in the folder, and a certificate for the server name signed by it. */
  static TestCa create(Path folder, String serverName) throws IOException {
    Path ca = folder.resolve("ca.p12");
    Path caPem = folder.resolve("ca.pem");
    Path server = folder.resolve("server.p12");
    Path csr = folder.resolve("server.csr");
    Path signed = folder.resolve("server.pem");
    keytool(
        folder,
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=Fieldproof test CA",
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca);
    keytool(folder, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-file", caPem);
    keytool(
        folder,
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=" + serverName,
        "-validity",
        "2",
        "-keystore",
        server);
    keytool(folder, "-certreq", "-alias", "server", "-keystore", server, "-file", csr);
    keytool(
        folder,
        "-gencert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-infile",
        csr,
        "-outfile",
        signed,
        "-ext",
        "san=dns:" + serverName,
        "-validity",
        "2");
    keytool(
        folder, "-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", server);
    keytool(folder, "-importcert", "-alias", "server", "-file", signed, "-keystore", server);
    return new TestCa(caPem, server);
  }

  /** The PEM file of the CA certificate. */
  Path caPem() {
    return caPem;
  }

  /** A TLS context presenting the server's certificate and the CA above it. */
  SSLContext serverContext() throws IOException {
    try (InputStream in = Files.newInputStream(serverKeys)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, PASSWORD.toCharArray());
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(keys, PASSWORD.toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(factory.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("the test server's key store does not load", e);
    }
  }

  private static void keytool(Path folder, Object... arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object argument : arguments) {
      command.add(argument.toString());
    }
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    Path log = folder.resolve("keytool.log");
    Process process =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(
            "keytool " + arguments[0] + " failed: " + Files.readString(log).trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
  }
}
