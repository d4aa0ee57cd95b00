package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** What workloads of this Cluster may ask for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Guardrails {

  @JsonPropertyDescription("Allow privileged containers (default false).")
  public Boolean allowPrivileged;

  @JsonPropertyDescription(
      "Pod Security level workloads must meet when allowPrivileged is false: baseline (default)"
          + " or restricted (also non-root, no privilege escalation, capabilities dropped).")
  @SchemaEnum({"baseline", "restricted"})
  public String podSecurity;

  @JsonPropertyDescription("Allow networkMode host (default false).")
  public Boolean allowHostNetwork;

  @JsonPropertyDescription("Allow host path volumes (default false).")
  public Boolean allowHostPath;

  @JsonPropertyDescription(
      "Managed policies TaskRoles may attach (patterns with *); empty allows none.")
  @Size(max = 100)
  public List<String> allowedManagedPolicyArns;

  @JsonPropertyDescription("Boundary every role gets, overriding the TaskRole's.")
  public String permissionsBoundaryArn;

  @JsonPropertyDescription("IAM path of every role, e.g. /tidewater/.")
  @Pattern("^/([\\x21-\\x7E]*/)?$")
  @Size(max = 512)
  public String rolePath;
}
