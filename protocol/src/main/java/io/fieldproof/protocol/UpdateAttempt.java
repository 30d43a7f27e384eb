package io.fieldproof.protocol;

/**
 * Which desired model an agent's reported update phase is about: the model, the generation and the
 * operator's attempt it was tried for. Lets the operator tell a failure of the model it asks for
 * now from one left over from an earlier rollout or attempt.
 *
 * @param sha256 the model tried
 * @param generation the desired state's generation it was tried for
 * @param attempt the desired state's attempt it was tried for (1 when the desired state had none)
 */
public record UpdateAttempt(String sha256, long generation, int attempt) {}
