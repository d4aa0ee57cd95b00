package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;

/** Status of a {@link Cluster}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class ClusterStatus extends TidewaterStatus {

  @JsonPropertyDescription("The backend in effect: kubernetes or ecs.")
  public String backend;

  @JsonPropertyDescription("ecs backend: the ECS cluster ARN.")
  public String clusterArn;
}
