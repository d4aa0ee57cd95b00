package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Target tracking between minTasks and maxTasks (ECS: Application Auto Scaling; Kubernetes: an
 * HPA).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.minTasks <= self.maxTasks",
    message = "minTasks must not exceed maxTasks",
    fieldPath = ".minTasks")
@ValidationRule(
    value = "has(self.targetCpuUtilization) || has(self.targetMemoryUtilization)",
    message = "set targetCpuUtilization, targetMemoryUtilization or both",
    reason = "FieldValueRequired")
public class Autoscaling {

  @JsonPropertyDescription("Lower bound of the task count.")
  @Required
  @Min(0)
  @Max(100000)
  public Integer minTasks;

  @JsonPropertyDescription("Upper bound of the task count.")
  @Required
  @Min(1)
  @Max(100000)
  public Integer maxTasks;

  @JsonPropertyDescription("Target average CPU utilisation, percent.")
  @Min(1)
  @Max(100)
  public Integer targetCpuUtilization;

  @JsonPropertyDescription("Target average memory utilisation, percent.")
  @Min(1)
  @Max(100)
  public Integer targetMemoryUtilization;

  @JsonPropertyDescription("Seconds between scale-in steps.")
  @Min(0)
  @Max(86400)
  public Integer scaleInCooldownSeconds;

  @JsonPropertyDescription("Seconds between scale-out steps.")
  @Min(0)
  @Max(86400)
  public Integer scaleOutCooldownSeconds;
}
