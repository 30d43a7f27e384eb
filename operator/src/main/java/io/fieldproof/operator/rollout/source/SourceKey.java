package io.fieldproof.operator.rollout.source;

/** A model file as a rollout names it: where it is and what its sha256 must be. */
record SourceKey(String url, String sha256) {}
