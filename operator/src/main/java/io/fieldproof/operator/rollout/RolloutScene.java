package io.fieldproof.operator.rollout;

import io.fieldproof.api.v1alpha1.DeviceFailure;
import io.fieldproof.api.v1alpha1.DeviceGroup;
import io.fieldproof.operator.devicegroup.GroupConfigs;
import io.fieldproof.operator.devicegroup.Member;
import io.fieldproof.operator.labels.LabeledWindows;
import java.util.List;

/**
 * What a rollout acts on in this pass: its group, the members its model fits (the targets), those
 * it does not fit, and the newer rollout of the group that took over, if any.
 *
 * @param group the DeviceGroup, or null while it does not exist
 * @param compatible members out of conflict that the model fits
 * @param incompatible how many members the model does not fit
 * @param incompatibleListed the first of them, with why
 * @param supersededBy the name of a newer validated rollout of the same group, or null
 * @param groupConfig the config the group's devices run outside any acting rollout (the group's
 *     own, or that of the rollout in force): what a config rollout's devices return to, or null
 * @param labels the group's labeled alarm windows, read only when a gate judges falseAlarmRate
 */
record RolloutScene(
    DeviceGroup group,
    List<Member> compatible,
    int incompatible,
    List<DeviceFailure> incompatibleListed,
    String supersededBy,
    GroupConfigs.Unit groupConfig,
    LabeledWindows labels) {

  static RolloutScene empty() {
    return new RolloutScene(null, List.of(), 0, List.of(), null, null, LabeledWindows.none());
  }
}
