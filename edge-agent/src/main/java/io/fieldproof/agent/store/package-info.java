/**
 * The agent's model files on disk, addressed by content.
 *
 * <p>Owns the {@code models/} folder of the agent's state directory: complete models named by their
 * sha256 ({@link io.fieldproof.agent.store.ContentStore}), verified whenever they are read, the
 * chunks of unfinished downloads ({@link io.fieldproof.agent.store.PartialModel}) so a restarted
 * agent resumes, and garbage collection against the set of models to keep. Must not: know about
 * MQTT, devices or flashing.
 */
package io.fieldproof.agent.store;
