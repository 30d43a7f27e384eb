package io.fieldproof.model.footprint;

import java.util.ArrayList;
import java.util.List;

/**
 * The greedy memory planner of TensorFlow Lite Micro ({@code GreedyMemoryPlanner}): places buffers
 * with known lifetimes in one arena so that buffers alive at the same time never overlap.
 *
 * <p>Offline-planned buffers keep their given offset and come first. The online ones are ordered by
 * size, largest first, with a stable descending bubble sort over the buffers in reverse order of
 * addition (so among equal sizes the one added last is placed first), exactly like TFLM. The first
 * goes to offset 0; each next one walks the already placed buffers that overlap it in time, in
 * offset order, and takes the first gap large enough, else the end of the last of them. Sizes are
 * used as given: align them first ({@link #alignUp(long)}) as TFLM's allocator does.
 */
public final class GreedyArenaPlanner {

  /** Offset marker for a buffer the planner places itself. */
  public static final int ONLINE = -1;

  /** TFLM's arena buffer alignment ({@code MicroArenaBufferAlignment()}). */
  public static final int ALIGNMENT = 16;

  private final List<Request> requests = new ArrayList<>();

  private record Request(int size, int firstUsed, int lastUsed, int offlineOffset) {}

  /** Rounds {@code bytes} up to the arena alignment. */
  public static long alignUp(long bytes) {
    return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
  }

  /**
   * Adds a buffer planned online.
   *
   * @param size bytes
   * @param firstUsed first time step (operator index + 1; 0 for model inputs) it is alive
   * @param lastUsed last time step it is alive
   * @return the buffer's id, its position in {@link ArenaPlan#offsets()}
   */
  public int addBuffer(int size, int firstUsed, int lastUsed) {
    return addBuffer(size, firstUsed, lastUsed, ONLINE);
  }

  /**
   * Adds a buffer, at a fixed offset unless {@code offlineOffset} is {@link #ONLINE}.
   *
   * @return the buffer's id, its position in {@link ArenaPlan#offsets()}
   */
  public int addBuffer(int size, int firstUsed, int lastUsed, int offlineOffset) {
    if (size < 0) {
      throw new IllegalArgumentException("negative buffer size " + size);
    }
    requests.add(new Request(size, firstUsed, lastUsed, offlineOffset));
    return requests.size() - 1;
  }

  /** Computes the offsets of every buffer added so far. */
  public ArenaPlan plan() {
    int count = requests.size();
    int[] offsets = new int[count];
    if (count == 0) {
      return new ArenaPlan(offsets, 0);
    }
    int[] order = placementOrder();
    List<Integer> byOffset = new ArrayList<>(count);
    for (int id : order) {
      Request wanted = requests.get(id);
      offsets[id] =
          wanted.offlineOffset() == ONLINE
              ? firstFit(wanted, byOffset, offsets)
              : wanted.offlineOffset();
      insertByOffset(byOffset, id, offsets);
    }
    long total = 0;
    for (int id = 0; id < count; id++) {
      total = Math.max(total, (long) offsets[id] + requests.get(id).size());
    }
    return new ArenaPlan(offsets, total);
  }

  /** Offline buffers first in addition order, then the online ones sorted as TFLM sorts them. */
  private int[] placementOrder() {
    int count = requests.size();
    int[] ids = new int[count];
    int[] sizes = new int[count];
    int head = 0;
    int tail = count;
    for (int i = 0; i < count; i++) {
      if (requests.get(i).offlineOffset() == ONLINE) {
        tail--;
        ids[tail] = i;
        sizes[tail] = requests.get(i).size();
      } else {
        ids[head] = i;
        sizes[head] = requests.get(i).size();
        head++;
      }
    }
    reverseSortInPlace(sizes, ids, head, count);
    return ids;
  }

  /** Stable descending bubble sort of {@code values[from, to)} carrying {@code ids} along. */
  private static void reverseSortInPlace(int[] values, int[] ids, int from, int to) {
    boolean swapped;
    do {
      swapped = false;
      for (int i = from + 1; i < to; i++) {
        if (values[i - 1] < values[i]) {
          swap(values, i - 1, i);
          swap(ids, i - 1, i);
          swapped = true;
        }
      }
    } while (swapped);
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private int firstFit(Request wanted, List<Integer> byOffset, int[] offsets) {
    int candidate = 0;
    for (int placedId : byOffset) {
      Request placed = requests.get(placedId);
      if (!overlapsInTime(placed, wanted)) {
        continue;
      }
      int gap = offsets[placedId] - candidate;
      if (gap >= wanted.size()) {
        return candidate;
      }
      candidate = Math.max(candidate, offsets[placedId] + placed.size());
    }
    return candidate;
  }

  private static boolean overlapsInTime(Request a, Request b) {
    return a.firstUsed() <= b.lastUsed() && b.firstUsed() <= a.lastUsed();
  }

  /** Inserts after every entry with an offset not greater than the new one, as TFLM's list does. */
  private static void insertByOffset(List<Integer> byOffset, int id, int[] offsets) {
    int position = 0;
    while (position < byOffset.size() && offsets[byOffset.get(position)] <= offsets[id]) {
      position++;
    }
    byOffset.add(position, id);
  }
}
