package io.fieldproof.agent.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fieldproof.protocol.Grammar;
import io.fieldproof.protocol.mqtt.MqttSettings;
import io.fieldproof.protocol.signing.Ed25519Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and checks an agent's YAML configuration; every problem is reported with the key it
 * concerns, all at once, before anything connects.
 */
public final class AgentConfigLoader {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern LINK = Pattern.compile("(tcp://[^\\s:]+:[0-9]{1,5}|serial:\\S+)");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
  private static final int DEFAULT_MAX_EVENTS = 10_000;
  private static final int MIN_PACKET_SIZE = 256 * 1024 + 1024;
  private static final Pattern ENDPOINT = Pattern.compile("https?://[A-Za-z0-9.:\\[\\]-]+/?");
  // S3's bucket names: 3 to 63 lower-case letters, digits, dots and hyphens
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");
  private static final long DEFAULT_CAPTURE_SPOOL_BYTES = 64L * 1024 * 1024;
  private static final long MIN_CAPTURE_SPOOL_BYTES = 64L * 1024;

  private final Map<String, String> environment;

  public AgentConfigLoader(Map<String, String> environment) {
    this.environment = environment;
  }

  public AgentConfig load(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(file + ": not valid YAML: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidConfigException(file + ": the file is empty or not a YAML mapping");
    }
    return parse(root, file.toAbsolutePath().getParent());
  }

  AgentConfig parse(JsonNode root, Path base) throws IOException {
    List<String> problems = new ArrayList<>();
    String gateway = text(root, "gateway", problems, ID);
    String namespace = text(root, "namespace", problems, NAMESPACE);
    JsonNode brokerNode = root.path("broker");
    String uri = text(brokerNode, "uri", problems, Pattern.compile("(tcp|ssl)://\\S+"), "broker.");
    JsonNode tls = brokerNode.path("tls");
    Path caFile = optionalPath(tls, "caFile", base);
    Path clientCert = optionalPath(tls, "clientCertFile", base);
    Path clientKey = optionalPath(tls, "clientKeyFile", base);
    if ((clientCert == null) != (clientKey == null)) {
      problems.add(
          "broker.tls: clientCertFile and clientKeyFile go together (a client certificate and its"
              + " key)");
    }
    if ((caFile != null || clientCert != null) && uri != null && !uri.startsWith("ssl://")) {
      problems.add("broker.tls: set, but broker.uri is not ssl://");
    }
    AgentConfig.Broker broker =
        new AgentConfig.Broker(
            uri,
            optionalText(brokerNode, "username"),
            password(brokerNode, base, problems),
            caFile,
            clientCert,
            clientKey,
            tls.path("verifyHostname").asBoolean(true),
            duration(brokerNode, "sessionExpiry", "1h", problems, "broker."),
            duration(brokerNode, "keepAlive", "30s", problems, "broker."),
            duration(brokerNode, "initialReconnectDelay", "500ms", problems, "broker."),
            duration(brokerNode, "maxReconnectDelay", "30s", problems, "broker."),
            maximumPacketSize(brokerNode, problems));
    Path stateDir = optionalPath(root, "stateDir", base);
    if (stateDir == null) {
      problems.add("stateDir: required (a folder the agent owns, kept across restarts)");
    }
    Duration reportInterval = duration(root, "reportInterval", "10s", problems, "");
    if (reportInterval.isZero()) {
      problems.add("reportInterval: must be positive");
    }
    int maxEvents = maxEvents(root.path("spool"), problems);
    List<AgentConfig.Device> devices = devices(root.path("devices"), problems);
    AgentConfig.Trust trust = trust(root.path("trust"), base, problems);
    AgentConfig.CaptureStore captureStore = captureStore(root.path("captureStore"), base, problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(
          "invalid agent configuration:\n  " + String.join("\n  ", problems));
    }
    return new AgentConfig(
        gateway,
        namespace,
        broker,
        stateDir,
        reportInterval,
        maxEvents,
        devices,
        trust,
        captureStore);
  }

  /**
   * captureStore: where captured windows are uploaded (absent: nowhere). The access key's id and
   * secret come from a file or an environment variable ({@code ...File}, {@code ...Env}), as a
   * Secret mounts or injects them; only the id may also be written in the file itself.
   */
  private AgentConfig.CaptureStore captureStore(JsonNode node, Path base, List<String> problems)
      throws IOException {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    String prefix = "captureStore.";
    String endpoint = text(node, "endpoint", problems, ENDPOINT, prefix);
    String bucket = text(node, "bucket", problems, BUCKET, prefix);
    String region = optionalText(node, "region");
    if (region != null && !REGION.matcher(region).matches()) {
      problems.add(prefix + "region: '" + region + "' does not match " + REGION.pattern());
    }
    String accessKeyId = optionalText(node, "accessKeyId");
    char[] idFromSecret = secret(node, "accessKeyId", base, problems, prefix, accessKeyId == null);
    if (accessKeyId == null && idFromSecret != null) {
      accessKeyId = new String(idFromSecret);
    }
    char[] secretAccessKey = secret(node, "secretAccessKey", base, problems, prefix, true);
    long spoolBytes = byteCount(node, "spoolBytes", DEFAULT_CAPTURE_SPOOL_BYTES, problems, prefix);
    Duration initial = duration(node, "initialRetryDelay", "1s", problems, prefix);
    Duration max = duration(node, "maxRetryDelay", "1m", problems, prefix);
    if (initial.isZero() || max.compareTo(initial) < 0) {
      problems.add(prefix + "initialRetryDelay: must be positive and at most maxRetryDelay");
    }
    return new AgentConfig.CaptureStore(
        endpoint == null || !ENDPOINT.matcher(endpoint).matches()
            ? null
            : java.net.URI.create(endpoint),
        bucket,
        region == null ? "us-east-1" : region,
        accessKeyId,
        secretAccessKey,
        spoolBytes,
        initial,
        max);
  }

  /** {@code <name>File} or {@code <name>Env}; one of them when {@code required}. */
  private char[] secret(
      JsonNode node, String name, Path base, List<String> problems, String prefix, boolean required)
      throws IOException {
    String env = optionalText(node, name + "Env");
    Path file = optionalPath(node, name + "File", base);
    if (env != null && file != null) {
      problems.add(prefix + name + "Env and " + name + "File exclude each other");
      return null;
    }
    if (env != null) {
      String value = environment.get(env);
      if (value == null || value.isBlank()) {
        problems.add(prefix + name + "Env: environment variable " + env + " is not set");
        return null;
      }
      return value.strip().toCharArray();
    }
    if (file != null) {
      if (!Files.isReadable(file)) {
        problems.add(prefix + name + "File: cannot read " + file);
        return null;
      }
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        problems.add(prefix + name + "File: " + file + " is empty");
        return null;
      }
      return value.toCharArray();
    }
    if (required) {
      problems.add(
          prefix
              + name
              + "File or "
              + prefix
              + name
              + "Env: required (the store's access key, from a Secret)");
    }
    return null;
  }

  private static long byteCount(
      JsonNode node, String key, long fallback, List<String> problems, String prefix) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.longValue() < MIN_CAPTURE_SPOOL_BYTES) {
      problems.add(
          prefix
              + key
              + ": '"
              + value.asText()
              + "' is not a byte count of at least "
              + MIN_CAPTURE_SPOOL_BYTES);
      return fallback;
    }
    return value.longValue();
  }

  /**
   * trust.publicKeys: each entry a PEM public key, or the path of a file holding one. Without keys
   * the agent refuses to start, unless trust.allowUnsigned is true.
   */
  private static AgentConfig.Trust trust(JsonNode node, Path base, List<String> problems) {
    boolean allowUnsigned = node.path("allowUnsigned").asBoolean(false);
    JsonNode entries = node.path("publicKeys");
    if (!entries.isMissingNode() && !entries.isNull() && !entries.isArray()) {
      problems.add("trust.publicKeys: a list of PEM public keys or files holding one");
      return AgentConfig.Trust.anything();
    }
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      publicKey(entries.get(i).asText(), base, "trust.publicKeys[" + i + "]: ", problems)
          .ifPresent(keys::add);
    }
    if (keys.isEmpty() && !allowUnsigned && entries.size() == 0) {
      problems.add(
          "trust.publicKeys: required, the operator's Ed25519 public key (PEM or a file): an agent"
              + " acts only on desired states the operator signed (trust.allowUnsigned: true turns"
              + " this off, for development only)");
    }
    if (!keys.isEmpty() && allowUnsigned) {
      problems.add("trust: publicKeys and allowUnsigned exclude each other");
    }
    return allowUnsigned ? AgentConfig.Trust.anything() : AgentConfig.Trust.keys(keys);
  }

  private static Optional<PublicKey> publicKey(
      String entry, Path base, String prefix, List<String> problems) {
    String pem = entry;
    if (!entry.contains("-----BEGIN")) {
      Path file = base.resolve(entry).normalize();
      try {
        pem = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        problems.add(prefix + "cannot read " + file + ": " + e.getMessage());
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Ed25519Keys.publicKey(pem));
    } catch (IllegalArgumentException e) {
      problems.add(prefix + e.getMessage());
      return Optional.empty();
    }
  }

  private List<AgentConfig.Device> devices(JsonNode node, List<String> problems) {
    List<AgentConfig.Device> devices = new ArrayList<>();
    if (!node.isArray()) {
      problems.add("devices: required, a list of attached devices");
      return devices;
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode device = node.get(i);
      String prefix = "devices[" + i + "].";
      String link = text(device, "link", problems, LINK, prefix);
      String chip = optionalText(device, "chip");
      Map<String, String> labels = new LinkedHashMap<>();
      device
          .path("labels")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      labels.forEach(
          (key, value) -> {
            // the operator drops a birth with a label outside the grammar, and sets these itself
            Grammar.labelProblem(key, value).ifPresent(p -> problems.add(prefix + "labels: " + p));
            if (Grammar.reserved(key)) {
              problems.add(
                  prefix
                      + "labels: "
                      + key
                      + " is reserved: the operator sets fieldproof.io/ labels");
            }
          });
      String bootloader = optionalText(device, "bootloader");
      if (bootloader != null && !LINK.matcher(bootloader).matches()) {
        problems.add(prefix + "bootloader: expected tcp://host:port or serial:/dev/...");
      }
      if (bootloader != null && chip == null) {
        problems.add(prefix + "chip: required with a bootloader line (it picks the protocol)");
      }
      devices.add(new AgentConfig.Device(link, chip, labels, bootloader));
    }
    return devices;
  }

  private static int maxEvents(JsonNode spool, List<String> problems) {
    JsonNode value = spool.get("maxEvents");
    if (value == null || value.isNull()) {
      return DEFAULT_MAX_EVENTS;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      problems.add("spool.maxEvents: '" + value.asText() + "' is not a whole number");
      return DEFAULT_MAX_EVENTS;
    }
    if (value.intValue() < 1) {
      problems.add("spool.maxEvents: must be at least 1");
    }
    return value.intValue();
  }

  private static int maximumPacketSize(JsonNode broker, List<String> problems) {
    JsonNode value = broker.get("maximumPacketSize");
    if (value == null || value.isNull()) {
      return MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < MIN_PACKET_SIZE) {
      problems.add(
          "broker.maximumPacketSize: '"
              + value.asText()
              + "' is not a byte count of at least "
              + MIN_PACKET_SIZE
              + " (the largest message of the contract, a 256 KiB gateway state, must fit)");
      return MqttSettings.DEFAULT_MAXIMUM_PACKET_SIZE;
    }
    return value.intValue();
  }

  private char[] password(JsonNode broker, Path base, List<String> problems) throws IOException {
    if (broker.has("password")) {
      problems.add(
          "broker.password: a password is never read from the YAML; put it in a file"
              + " (broker.passwordFile) or the environment (broker.passwordEnv)");
      return null;
    }
    String env = optionalText(broker, "passwordEnv");
    if (env != null) {
      String value = environment.get(env);
      if (value == null) {
        problems.add("broker.passwordEnv: environment variable " + env + " is not set");
        return null;
      }
      return value.toCharArray();
    }
    Path file = optionalPath(broker, "passwordFile", base);
    if (file != null) {
      if (!Files.isReadable(file)) {
        problems.add("broker.passwordFile: cannot read " + file);
        return null;
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip().toCharArray();
    }
    return null;
  }

  private static String text(JsonNode node, String key, List<String> problems, Pattern pattern) {
    return text(node, key, problems, pattern, "");
  }

  private static String text(
      JsonNode node, String key, List<String> problems, Pattern pattern, String prefix) {
    JsonNode value = node.get(key);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      problems.add(prefix + key + ": required");
      return null;
    }
    if (!pattern.matcher(value.asText()).matches()) {
      problems.add(prefix + key + ": '" + value.asText() + "' does not match " + pattern.pattern());
    }
    return value.asText();
  }

  private static String optionalText(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Path optionalPath(JsonNode node, String key, Path base) {
    String value = optionalText(node, key);
    return value == null ? null : base.resolve(value).normalize();
  }

  private static Duration duration(
      JsonNode node, String key, String fallback, List<String> problems, String prefix) {
    String value = node.has(key) ? node.get(key).asText() : fallback;
    var matcher = DURATION.matcher(value);
    if (!matcher.matches()) {
      problems.add(prefix + key + ": '" + value + "' is not a duration like 500ms, 30s, 5m, 1h");
      return Duration.parse("PT1S");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
