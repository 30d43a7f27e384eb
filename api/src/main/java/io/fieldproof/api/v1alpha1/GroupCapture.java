package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the group's field-data capture fares (docs/field-data.md#watching-capture), summed over the
 * members' last reports. The devices count since their boot (a reboot lowers the sums), their
 * agents across restarts when they have a capture store; members whose devices or agents do not
 * report capture add nothing.
 */
public class GroupCapture {

  /** The most drop reasons the status lists. */
  public static final int MAX_DROP_REASONS = 16;

  @JsonPropertyDescription(
      "Members whose devices report capture counters: their config captures and their firmware"
          + " counts windows.")
  public int devicesCapturing;

  @JsonPropertyDescription(
      "Windows the members froze around a trigger (the devices' captures counter), summed over"
          + " the members since their last boot.")
  public long windowsCaptured;

  @JsonPropertyDescription(
      "Triggers that found a member's capture ring busy, armed too recently or still holding a"
          + " frozen window (the devices' capturesMissed counter), summed since their last boot.")
  public long windowsMissed;

  @JsonPropertyDescription(
      "The members' windows the capture store acknowledged, as their agents count them (kept"
          + " across agent restarts).")
  public long windowsUploaded;

  @Size(max = MAX_DROP_REASONS)
  @JsonPropertyDescription(
      "The members' windows their agents dropped, by reason (device_budget, group_budget,"
          + " spool_full, too_large, invalid, write_failed, refused_by_store, no_store), as their"
          + " agents count them; only reasons with drops, at most 16.")
  public Map<String, Long> windowsDropped = new TreeMap<>();
}
