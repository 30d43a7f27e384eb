package io.fieldproof.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** When a device counts as offline. */
public class ConnectivitySpec {

  @Min(10)
  @Max(86400)
  @Default("90")
  @JsonPropertyDescription(
      "A device with no report and no gateway birth for this many seconds is offline; a"
          + " gateway's last will marks its devices offline at once.")
  public Integer offlineAfterSeconds;
}
