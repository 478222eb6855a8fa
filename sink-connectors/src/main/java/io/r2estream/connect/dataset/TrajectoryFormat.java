package io.r2estream.connect.dataset;

import java.util.Arrays;
import java.util.Locale;

/** The row format of trajectory files. */
public enum TrajectoryFormat {

  /** Chat conversations for supervised fine-tuning: {@code {"messages": [{"role", "content"}, ...]}}. */
  SFT("sft"),
  /** R2E-Gym trajectory rows with {@code trajectory_steps}, limits, exit reason, patch and reward. */
  R2EGYM("r2egym");

  private final String configName;

  TrajectoryFormat(final String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static TrajectoryFormat parse(final String name) {
    return Arrays.stream(values()).filter(f -> f.configName.equals(name.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown trajectory format '" + name
            + "': use sft or r2egym"));
  }
}
