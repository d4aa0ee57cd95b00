package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** How deployments proceed (ECS DeploymentConfiguration). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentConfiguration {

  @JsonPropertyDescription("Circuit breaker.")
  public DeploymentCircuitBreaker deploymentCircuitBreaker;

  @JsonPropertyDescription(
      "Upper limit of running tasks during a deployment, % of desired (default 200).")
  @Min(0)
  public Integer maximumPercent;

  @JsonPropertyDescription(
      "Lower limit of healthy tasks during a deployment, % of desired (default 100).")
  @Min(0)
  @Max(100)
  public Integer minimumHealthyPercent;

  @JsonPropertyDescription("Alarms that fail a deployment.")
  public DeploymentAlarms alarms;

  @JsonPropertyDescription("ROLLING, BLUE_GREEN, LINEAR or CANARY.")
  @SchemaEnum({"ROLLING", "BLUE_GREEN", "LINEAR", "CANARY"})
  public String strategy;

  @JsonPropertyDescription("Minutes both revisions run before the old one goes.")
  @Min(0)
  @Max(1440)
  public Integer bakeTimeInMinutes;

  @JsonPropertyDescription("Lifecycle hooks.")
  @Size(max = 10)
  public List<DeploymentLifecycleHook> lifecycleHooks;

  @JsonPropertyDescription("Linear shifting.")
  public LinearConfiguration linearConfiguration;

  @JsonPropertyDescription("Canary shifting.")
  public CanaryConfiguration canaryConfiguration;
}
