/**
 * Model transfer from the operator to this agent over MQTT.
 *
 * <p>Owns fetching one model by its sha256 ({@link io.fieldproof.agent.transfer.ModelFetcher}): the
 * retained manifest, only the chunk topics still missing, per-chunk and whole-model verification,
 * resume after a restart through the {@link io.fieldproof.agent.store.ContentStore}, and typed
 * failures ({@link io.fieldproof.agent.transfer.FetchFailure}). The contract is the "Model
 * transfer" section of {@code docs/protocol.md}. Must not: flash devices, decide which models to
 * fetch, or publish anything.
 */
package io.fieldproof.agent.transfer;
