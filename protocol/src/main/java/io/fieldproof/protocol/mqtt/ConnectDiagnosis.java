package io.fieldproof.protocol.mqtt;

import java.io.EOFException;
import java.net.URI;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in words why a connection attempt failed at the TLS layer (wrong CA, wrong host name, a
 * client certificate the broker refused, TLS against a plain port or the reverse), from the cause
 * Paho hands over. Each problem is logged once at WARN until the session connects or the problem
 * changes; the reconnect loop's own retry lines go on at INFO.
 */
final class ConnectDiagnosis {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectDiagnosis.class);
  private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

  private final MqttSettings settings;
  private final boolean tls;
  private final String host;
  private volatile String problem;

  ConnectDiagnosis(MqttSettings settings) {
    this.settings = settings;
    URI uri = URI.create(settings.uri());
    this.tls = "ssl".equalsIgnoreCase(uri.getScheme());
    this.host = uri.getHost();
  }

  /** The connector, with each attempt's outcome seen here first. */
  ConnectLoop.Connector around(ConnectLoop.Connector connector) {
    return attempt -> {
      ConnectLoop.Attempt watched =
          new ConnectLoop.Attempt() {
            @Override
            public void succeeded() {
              problem = null;
              attempt.succeeded();
            }

            @Override
            public void failed(Throwable cause) {
              observe(cause);
              attempt.failed(cause);
            }
          };
      try {
        connector.connect(watched);
      } catch (Exception e) {
        observe(e);
        throw e;
      }
    };
  }

  /** The TLS problem of the last failed attempt, in words; empty after a success. */
  Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  private void observe(Throwable cause) {
    String described = describe(cause);
    if (described == null) {
      LOG.debug("MQTT {}: connect failed, not at the TLS layer", settings.uri(), cause);
      return;
    }
    if (!described.equals(problem)) {
      LOG.warn("MQTT {}: {} ({})", settings.uri(), described, rootMessage(cause));
    }
    problem = described;
  }

  /** The problem in words, or null when the failure is not one of TLS. */
  String describe(Throwable cause) {
    String alert = null;
    boolean closedDuringHandshake = false;
    boolean notTls = false;
    boolean reset = false;
    boolean lostAfterConnect = false;
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return "the broker's certificate has expired or is not yet valid";
      }
      if (t instanceof CertPathBuilderException
          || t instanceof CertPathValidatorException
          || message.contains("PKIX path")) {
        return "the broker's certificate is not signed by the configured CA ("
            + (settings.caFile() == null ? "the JVM's trust store" : settings.caFile())
            + ")";
      }
      if (t instanceof SSLPeerUnverifiedException
          || message.startsWith("No subject alternative")
          || message.startsWith("No name matching")) {
        return "the broker's certificate does not name host " + host;
      }
      Matcher matcher = ALERT.matcher(message);
      if (alert == null && matcher.find()) {
        alert = matcher.group(1);
      }
      if (t instanceof SSLException
          && (message.contains("Remote host terminated the handshake")
              || message.contains("Unsupported or unrecognized SSL message"))) {
        closedDuringHandshake = true;
      }
      if (t instanceof EOFException && message.contains("SSL peer shut down")) {
        closedDuringHandshake = true;
      }
      if (t instanceof java.net.SocketException && message.contains("reset")) {
        reset = true;
      }
      if (t instanceof MqttException mqtt
          && mqtt.getReasonCode() == MqttClientException.REASON_CODE_CONNECTION_LOST) {
        lostAfterConnect = true;
      }
      if (t instanceof PlainSocketFactory.SilentCloseException) {
        notTls = true;
      }
    }
    if (alert != null) {
      return refusal(alert);
    }
    if (!tls && notTls) {
      return "the broker closed the connection without answering CONNECT: it most likely speaks"
          + " TLS on this port and we connected without it (use ssl://)";
    }
    // a reset while Paho opened the TLS socket (not a connection lost after it was up): the
    // plain listener read the ClientHello as a malformed MQTT packet and hung up
    if (tls && (closedDuringHandshake || (reset && !lostAfterConnect))) {
      return "the broker does not speak TLS on this port and we connected with it (use tcp://)";
    }
    return null;
  }

  private String refusal(String alert) {
    String why =
        switch (alert.toLowerCase(Locale.ROOT)) {
          case "certificate_expired" -> "expired";
          case "certificate_revoked" -> "revoked";
          case "unknown_ca" -> "signed by a CA the broker does not trust";
          case "certificate_required" -> "none was sent";
          default -> null;
        };
    if (why != null) {
      return "the broker refused our client certificate (" + why + ")";
    }
    if (alert.contains("certificate")) {
      return "the broker refused our client certificate (" + alert + ")";
    }
    return "the broker refused the TLS handshake (" + alert + ")";
  }

  private static String rootMessage(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
