package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;

/** Status of a {@link Cluster}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ClusterStatus extends TidewaterStatus {

  @JsonPropertyDescription(
      "The ECS cluster ARN: of the ecs backend, kept after a flip to kubernetes while Services may still run there (their migration scales and removes them in it).")
  public String clusterArn;
}
