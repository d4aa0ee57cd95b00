package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.Tag;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import dev.tidewater.api.v1alpha1.service.CapacityProviderStrategyItem;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The ECS cluster of the ecs backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EcsClusterSettings {

  @JsonPropertyDescription("ECS cluster name (default: derived from <namespace>-<name>).")
  @Pattern("^[a-zA-Z0-9_-]{1,255}$")
  public String clusterName;

  @JsonPropertyDescription("Create the cluster when missing (else it must exist).")
  public Boolean create;

  @JsonPropertyDescription("Capacity providers of a created cluster (e.g. FARGATE, FARGATE_SPOT).")
  @Size(max = 20)
  public List<String> capacityProviders;

  @JsonPropertyDescription("Default strategy of a created cluster.")
  @Size(max = 20)
  public List<CapacityProviderStrategyItem> defaultCapacityProviderStrategy;

  @JsonPropertyDescription("enabled, enhanced or disabled.")
  @SchemaEnum({"enabled", "enhanced", "disabled"})
  public String containerInsights;

  @JsonPropertyDescription("AWS tags of a created cluster.")
  @Size(max = 50)
  public List<Tag> tags;
}
