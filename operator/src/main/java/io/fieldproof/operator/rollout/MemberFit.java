package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.model.footprint.DeviceBudget;
import io.fieldproof.model.footprint.FitCheck;
import io.fieldproof.model.footprint.FitProblem;
import io.fieldproof.model.footprint.FitResult;
import io.fieldproof.model.footprint.Footprint;
import io.fieldproof.model.footprint.RuntimeState;
import io.fieldproof.model.tflite.TfliteModel;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.protocol.Capabilities;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a validated model against every member of the group, as each member's runtime announced
 * itself (arena, slot size, operators): members it does not fit are incompatible, counted and
 * listed (the first {@link #LISTED}), and never get the model. The runtime's drift state for the
 * group's inputs and its capture ring ({@link RuntimeState}) count against the announced arena with
 * the model's. A member that announced no capabilities is incompatible too: nothing says the model
 * fits it.
 */
final class MemberFit {

  /** Incompatible devices named in status at most; the count covers all of them. */
  static final int LISTED = 20;

  /** The outcome: how many members can run the model, and which cannot, with why. */
  record Result(List<Member> compatible, int incompatible, List<DeviceFailure> listed) {}

  private MemberFit() {}

  /**
   * @param inputs how many inputs the group configures: the runtime keeps drift state for each
   */
  static Result check(byte[] model, List<Member> members, int inputs) {
    return check(model, members, inputs, 0);
  }

  /**
   * @param captureBytes the capture ring the group's config has the runtime keep (0 without
   *     capture, {@link RuntimeState#captureBytes})
   */
  static Result check(byte[] model, List<Member> members, int inputs, long captureBytes) {
    Footprint footprint = Footprint.of(TfliteModel.read(model));
    long runtimeBytes = RuntimeState.bytes(inputs) + captureBytes;
    List<Member> compatible = new ArrayList<>();
    int incompatible = 0;
    List<DeviceFailure> listed = new ArrayList<>();
    // members of one kind announce the same capabilities: check each kind once, not each member
    Map<Capabilities, Optional<String>> byCapabilities = new HashMap<>();
    for (Member member : members) {
      Capabilities capabilities = member.entry().info().capabilities();
      String problem =
          capabilities == null
              ? problem(footprint, null, runtimeBytes)
              : byCapabilities
                  .computeIfAbsent(
                      capabilities, c -> Optional.ofNullable(problem(footprint, c, runtimeBytes)))
                  .orElse(null);
      if (problem == null) {
        compatible.add(member);
        continue;
      }
      incompatible++;
      if (listed.size() < LISTED) {
        DeviceFailure failure = new DeviceFailure();
        failure.device = member.id();
        failure.reason = "Incompatible";
        failure.message = problem;
        listed.add(failure);
      }
    }
    return new Result(List.copyOf(compatible), incompatible, List.copyOf(listed));
  }

  private static String problem(Footprint footprint, Capabilities capabilities, long runtimeBytes) {
    if (capabilities == null) {
      return "the device announced no runtime capabilities";
    }
    FitResult fit =
        FitCheck.check(
            footprint,
            new DeviceBudget(
                capabilities.arenaBytes(),
                capabilities.slotBytes(),
                Set.copyOf(capabilities.operators())),
            FitCheck.DEFAULT_HEADROOM,
            runtimeBytes);
    return fit.fits()
        ? null
        : fit.problems().stream().map(FitProblem::message).collect(Collectors.joining("; "));
  }
}
