package io.fieldproof.operator.models;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts model chunks the broker acknowledged (fieldproof_models_chunks_published_total) and models
 * retracted (fieldproof_models_retracted_total).
 */
final class ModelTransferMetrics {

  private final Counter chunksPublished;
  private final Counter modelsRetracted;

  ModelTransferMetrics(MeterRegistry registry) {
    chunksPublished =
        Counter.builder("fieldproof.models.chunks.published")
            .description("Model chunks published to the agents, retained")
            .register(registry);
    modelsRetracted =
        Counter.builder("fieldproof.models.retracted")
            .description("Models retracted because no ModelRollout references them any more")
            .register(registry);
  }

  void chunkPublished() {
    chunksPublished.increment();
  }

  void modelRetracted() {
    modelsRetracted.increment();
  }
}
