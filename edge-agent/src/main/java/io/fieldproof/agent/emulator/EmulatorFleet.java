package io.fieldproof.agent.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The emulators a command line asked for, each served over TCP, with one telemetry scheduler for
 * all of them. Owns the servers and the scheduler; closing it stops everything.
 */
public final class EmulatorFleet implements AutoCloseable {

  private final List<EmulatorServer> servers;
  private final TelemetryScheduler scheduler;

  private EmulatorFleet(List<EmulatorServer> servers, TelemetryScheduler scheduler) {
    this.servers = List.copyOf(servers);
    this.scheduler = scheduler;
  }

  /** Creates, serves and schedules the emulators of {@code options}. */
  public static EmulatorFleet start(EmulatorOptions options) throws IOException {
    InetAddress address = InetAddress.getByName(options.bindAddress());
    TelemetryScheduler scheduler = new TelemetryScheduler(1);
    List<EmulatorServer> servers = new ArrayList<>();
    try {
      for (int i = 0; i < options.count(); i++) {
        DeviceEmulator emulator = emulator(options, i);
        servers.add(EmulatorServer.start(emulator, address, options.port(i)));
        scheduler.schedule(emulator);
      }
    } catch (IOException | RuntimeException e) {
      servers.forEach(EmulatorServer::close);
      scheduler.close();
      throw e;
    }
    return new EmulatorFleet(servers, scheduler);
  }

  public List<EmulatorServer> servers() {
    return servers;
  }

  @Override
  public void close() {
    scheduler.close();
    servers.forEach(EmulatorServer::close);
  }

  private static DeviceEmulator emulator(EmulatorOptions options, int index) throws IOException {
    DeviceEmulator.Builder builder =
        DeviceEmulator.builder(options.chip())
            .seed(options.seed(index))
            .telemetryIntervalMs(options.telemetryIntervalMs());
    if (options.model() != null) {
      String name =
          options.model().getFileName().toString().replaceFirst("\\.tflite$", "").replace('_', '-');
      builder.activeModel(
          name, options.modelVersion(), java.nio.file.Files.readAllBytes(options.model()));
    }
    DeviceEmulator emulator = builder.build();
    options.scenarios().forEach(emulator::setScenario);
    return emulator;
  }
}
