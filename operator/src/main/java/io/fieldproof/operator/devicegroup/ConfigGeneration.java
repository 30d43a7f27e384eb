package io.fieldproof.operator.devicegroup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The config generation a device is told, which is what it keys its config on (a CONFIG of the
 * generation it runs is a no-op). The group's own config carries the group's generation G; the
 * config of a rollout carries G × {@value #SCALE} + s, where s (1..{@value #SCALE} - 1) comes from
 * the rollout's uid: distinct from the group's own, different for two rollouts of one group, the
 * same whichever operator computes it, and naming the group's generation it was merged with.
 */
public final class ConfigGeneration {

  /** How far apart the group's generations lie in a rollout's config generation. */
  public static final long SCALE = 1_000_000L;

  private ConfigGeneration() {}

  /** The generation of {@code rolloutUid}'s config merged with group generation {@code group}. */
  public static long of(long group, String rolloutUid) {
    return group * SCALE + salt(rolloutUid);
  }

  /** The group generation a device's config generation was made from. */
  public static long groupPart(long generation) {
    return generation >= SCALE ? generation / SCALE : generation;
  }

  /** The rollout part of a config generation, 0 for the group's own config. */
  public static long rolloutPart(long generation) {
    return generation >= SCALE ? generation % SCALE : 0;
  }

  /** The rollout part {@code rolloutUid}'s configs carry, 1..SCALE-1. */
  public static long salt(String rolloutUid) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(rolloutUid.getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (digest[i] & 0xff);
      }
      return 1 + Math.floorMod(value, SCALE - 1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JVM", e);
    }
  }
}
