package io.fieldproof.operator.rollout.gates;

/**
 * The labeled alarm windows a falseAlarmRate rule judges.
 *
 * @param updated windows captured under the rollout's model
 * @param baseline windows captured under the models the group's other members run
 */
public record LabelEvidence(LabelTally updated, LabelTally baseline) {

  public static final LabelEvidence NONE = new LabelEvidence(LabelTally.NONE, LabelTally.NONE);
}
