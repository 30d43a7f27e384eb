package io.fieldproof.operator.rollout.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Picks which members of a group a rollout step updates: deterministic and sticky. Every device
 * gets a rank from the sha256 of the rollout's key and its id, and a step of p percent takes the
 * ceil(p * n / 100) lowest ranks. So the choice does not depend on the order devices are listed in
 * or on the operator replica that computes it, and a device chosen at 5 % stays chosen at 25 %:
 * raising the percent only adds devices. A device that joins the group later takes its place in the
 * ranking like any other.
 *
 * <p>A step below 100 % is a canary: it takes new devices only among those that can return to a
 * previous model, so that a rollback can undo everything a canary did. A device that cannot revert
 * waits for the step that reaches 100 %, which takes every device; when too few can revert, a
 * canary step is smaller than its percent, and empty when none can.
 */
public final class CohortPlanner {

  private final String rolloutKey;

  /**
   * @param rolloutKey identifies the rollout (its namespace, name and uid), so two rollouts pick
   *     different canaries
   */
  public CohortPlanner(String rolloutKey) {
    this.rolloutKey = rolloutKey;
  }

  /** The devices a step of {@code percent} covers, lowest rank first. */
  public List<String> cohort(Collection<String> members, int percent) {
    return cohort(members, percent, device -> false);
  }

  /**
   * The devices a step of {@code percent} covers: every device already chosen (asked for the model
   * before, or running it), then the lowest ranks until the step's size. A member that joins with a
   * low rank while a step runs does not displace a device already chosen: it waits for a later
   * step.
   */
  public List<String> cohort(Collection<String> members, int percent, Predicate<String> chosen) {
    return cohort(members, percent, chosen, device -> true);
  }

  /**
   * As {@link #cohort(Collection, int, Predicate)}, but a step below 100 % takes new devices only
   * among those that {@code canRevert}: the devices chosen before stay, the others wait for 100 %.
   */
  public List<String> cohort(
      Collection<String> members,
      int percent,
      Predicate<String> chosen,
      Predicate<String> canRevert) {
    return cohortOfRanked(ranked(members), percent, chosen, canRevert);
  }

  /**
   * As {@link #cohort(Collection, int, Predicate, Predicate)} for members already in rank order
   * ({@link #ranked}), which are not ranked again: a rollout's pass asks for several cohorts of the
   * same members.
   */
  public static List<String> cohortOfRanked(
      List<String> ranked, int percent, Predicate<String> chosen, Predicate<String> canRevert) {
    int size = size(ranked.size(), percent);
    Predicate<String> takeable = percent < 100 ? canRevert : device -> true;
    List<String> cohort = new ArrayList<>(ranked.stream().filter(chosen).toList());
    for (String device : ranked) {
      if (cohort.size() >= size) {
        break;
      }
      if (!chosen.test(device) && takeable.test(device)) {
        cohort.add(device);
      }
    }
    return cohort;
  }

  /** How many of {@code members} devices a step of {@code percent} covers: ceil(p * n / 100). */
  public static int size(int members, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent must lie within 0..100, not " + percent);
    }
    return (int) Math.ceil(members * percent / 100.0);
  }

  /**
   * All members, lowest rank first. Each member's rank is computed once per planner, and the last
   * ranking is kept: a planner kept across a rollout's passes hashes only members that joined, and
   * sorts only when the members changed. (A comparator that hashed both sides took n log n digests,
   * about 280 000 for 10 000 members, on every reconcile; hashing every member on every pass took
   * 10 000 digests three or four times per pass.)
   */
  public synchronized List<String> ranked(Collection<String> members) {
    if (members.equals(lastMembers)) {
      return lastRanked;
    }
    MessageDigest sha = sha256();
    byte[] key = rolloutKey.getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> ranks = new HashMap<>(Math.max(16, members.size() * 2));
    List<Ranked> order = new ArrayList<>(members.size());
    for (String device : members) {
      if (ranks.containsKey(device)) {
        continue;
      }
      byte[] rank = this.ranks.get(device);
      if (rank == null) {
        rank = rank(sha, key, device);
      }
      ranks.put(device, rank);
      order.add(new Ranked(rank, device));
    }
    order.sort(RANK_ORDER);
    this.ranks = ranks;
    this.lastMembers = members instanceof List<String> list ? List.copyOf(list) : null;
    this.lastRanked = order.stream().map(Ranked::device).toList();
    return lastRanked;
  }

  /** The sha256 of each member ranked last, by id: its rank. */
  private Map<String, byte[]> ranks = Map.of();

  private List<String> lastMembers;
  private List<String> lastRanked = List.of();

  private record Ranked(byte[] rank, String device) {}

  /** By digest as unsigned bytes (the order of its lower-case hex), then by id. */
  private static final Comparator<Ranked> RANK_ORDER =
      (a, b) -> {
        int byRank = Arrays.compareUnsigned(a.rank(), b.rank());
        return byRank != 0 ? byRank : a.device().compareTo(b.device());
      };

  private static byte[] rank(MessageDigest sha, byte[] rolloutKey, String deviceId) {
    sha.reset();
    sha.update(rolloutKey);
    sha.update((byte) 0);
    sha.update(deviceId.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
