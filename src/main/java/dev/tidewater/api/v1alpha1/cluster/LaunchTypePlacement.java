package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where pods go per launch type on the kubernetes backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LaunchTypePlacement {

  @JsonPropertyDescription("FARGATE tasks (e.g. EKS Fargate profile labels).")
  public NodePlacement fargate;

  @JsonPropertyDescription("EC2 tasks.")
  public NodePlacement ec2;

  @JsonPropertyDescription("Tasks requesting GPUs.")
  public NodePlacement gpu;

  @JsonPropertyDescription("Windows tasks.")
  public NodePlacement windows;

  @JsonPropertyDescription("ARM64 tasks.")
  public NodePlacement arm64;
}
