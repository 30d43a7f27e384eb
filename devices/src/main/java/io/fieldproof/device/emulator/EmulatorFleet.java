package io.fieldproof.device.emulator;

import io.fieldproof.device.emulator.line.LineServer;
import io.fieldproof.device.emulator.line.LineSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulators a command line asked for, each served over TCP, with one telemetry scheduler for
 * all of them. Owns the emulators (and their flash files), the servers and the scheduler; closing
 * it stops everything.
 */
public final class EmulatorFleet implements AutoCloseable {

  private final List<EmulatorServer> servers;
  private final List<LineServer> bootloaders;
  private final TelemetryScheduler scheduler;
  private final List<DeviceEmulator> emulators;

  private EmulatorFleet(
      List<EmulatorServer> servers, List<LineServer> bootloaders, TelemetryScheduler scheduler) {
    this.servers = List.copyOf(servers);
    this.bootloaders = List.copyOf(bootloaders);
    this.scheduler = scheduler;
    this.emulators = servers.stream().map(EmulatorServer::emulator).toList();
  }

  /** Creates, serves and schedules the emulators of {@code options}. */
  public static EmulatorFleet start(EmulatorOptions options) throws IOException {
    InetAddress address = InetAddress.getByName(options.bindAddress());
    TelemetryScheduler scheduler = new TelemetryScheduler(1);
    List<EmulatorServer> servers = new ArrayList<>();
    List<LineServer> bootloaders = new ArrayList<>();
    List<DeviceEmulator> built = new ArrayList<>();
    try {
      for (int i = 0; i < options.count(); i++) {
        DeviceEmulator emulator = emulator(options, i);
        built.add(emulator);
        servers.add(EmulatorServer.start(emulator, address, options.port(i)));
        if (options.bootPort(i) != null) {
          bootloaders.add(
              DeviceBootloaders.serve(emulator, address, options.bootPort(i), line(options, i)));
        }
        scheduler.schedule(emulator);
      }
      if (options.held().any()) {
        scheduler.repeat(new HoldCycle(options.held(), built), 1000);
      }
    } catch (IOException | RuntimeException e) {
      servers.forEach(EmulatorServer::close);
      bootloaders.forEach(LineServer::close);
      scheduler.close();
      built.forEach(DeviceEmulator::close);
      throw e;
    }
    return new EmulatorFleet(servers, bootloaders, scheduler);
  }

  /** The bootloader line of emulator {@code index}, if it has one. */
  public java.util.Optional<LineServer> bootloader(int index) {
    return index < bootloaders.size()
        ? java.util.Optional.of(bootloaders.get(index))
        : java.util.Optional.empty();
  }

  private static LineSettings line(EmulatorOptions options, int index) {
    EmulatorOptions.Flashing flashing = options.flashing();
    return LineSettings.ideal()
        .withBaud(flashing.baud())
        .withCorruption(flashing.corruption(), options.seed(index))
        .withHangAfter(flashing.hangAfterBytes());
  }

  public List<EmulatorServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    scheduler.close();
    servers.forEach(EmulatorServer::close);
    bootloaders.forEach(LineServer::close);
    emulators.forEach(DeviceEmulator::close);
  }

  private static DeviceEmulator emulator(EmulatorOptions options, int index) throws IOException {
    EmulatorOptions.Flashing flashing = options.flashing();
    DeviceEmulator.Builder builder =
        DeviceEmulator.builder(options.chip())
            .seed(options.seed(index))
            .runtimeVersion(flashing.runtime())
            .telemetryIntervalMs(options.telemetryIntervalMs());
    if (options.flashFile(index) != null) {
      builder.flashFile(options.flashFile(index));
    }
    if (options.model() != null) {
      String name =
          options.model().getFileName().toString().replaceFirst("\\.tflite$", "").replace('_', '-');
      builder.activeModel(
          name, options.modelVersion(), java.nio.file.Files.readAllBytes(options.model()));
    }
    options.board().apply(builder);
    DeviceEmulator emulator = builder.build();
    options.scenarios().forEach(emulator::setScenario);
    emulator.corruptOutgoingFrames(flashing.corruption());
    emulator.skewSelfTests(flashing.selfTestSkew());
    if (flashing.powerCutAfterBytes() >= 0) {
      emulator.cutPowerAfterBytes(flashing.powerCutAfterBytes());
    }
    return emulator;
  }
}
