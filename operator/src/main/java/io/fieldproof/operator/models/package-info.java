/**
 * Model distribution: the models that ModelRollouts validated, published to the agents as retained
 * MQTT messages (a manifest and its chunks), and retracted once no ModelRollout of the namespace
 * holds them.
 *
 * <p>Owns {@link io.fieldproof.operator.models.ModelPublisher} (what is published, and when a model
 * is retracted), the record of which rollout holds which model, what the broker retains, and the
 * metrics {@code fieldproof_models_chunks_published_total} and {@code
 * fieldproof_models_retracted_total}. Must not: validate models (the rollout package does), or read
 * Kubernetes objects other than the ModelRollouts it is given.
 */
package io.fieldproof.operator.models;
