package dev.tidewater.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The status every kind shares: the generation last acted on, Ready / Progressing / Degraded
 * conditions with reasons, and warnings for what was accepted but cannot be honoured.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TidewaterStatus {

  @JsonPropertyDescription("The metadata.generation the operator last acted on.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "Ready, Progressing and Degraded. Ready, True or False, carries the reason of the moment"
          + " (the Reason column of kubectl get; docs/troubleshooting.md explains every reason).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "What the spec asks for that was accepted but cannot be honoured exactly on this backend.")
  private List<StatusWarning> warnings = new ArrayList<>();

  @JsonPropertyDescription(
      "The backend the resource runs on now (kubernetes or ecs); during a migration a Service's stays the old one until the new side serves alone (status.migration).")
  private String backend;

  public String getBackend() {
    return backend;
  }

  public void setBackend(String backend) {
    this.backend = backend;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public List<StatusWarning> getWarnings() {
    return warnings;
  }

  public void setWarnings(List<StatusWarning> warnings) {
    this.warnings = warnings == null ? new ArrayList<>() : warnings;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (o == null || getClass() != o.getClass()) return false;
    TidewaterStatus that = (TidewaterStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(backend, that.backend)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(warnings, that.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, backend, conditions, warnings);
  }
}
