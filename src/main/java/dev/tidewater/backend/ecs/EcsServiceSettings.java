package dev.tidewater.backend.ecs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of ECS services on the ecs backend ({@code tidewater.ecs.service.*}). */
@ConfigMapping(prefix = "tidewater.ecs.service")
public interface EcsServiceSettings {

  /**
   * How often every Service of an ECS cluster is described (in batches of ten) to report counts and
   * correct drift; the shorter of this and {@code tidewater.resync-period} applies.
   */
  @WithDefault("5m")
  Duration resyncPeriod();

  /**
   * How often the scalable target and scaling policies of a Service are read back (they are read at
   * once whenever the Service's autoscaling spec changes).
   */
  @WithDefault("1h")
  Duration slowPassPeriod();
}
