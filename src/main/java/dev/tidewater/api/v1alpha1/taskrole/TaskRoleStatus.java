package dev.tidewater.api.v1alpha1.taskrole;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.common.TidewaterStatus;

/** Status of a {@link TaskRole}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class TaskRoleStatus extends TidewaterStatus {

  @JsonPropertyDescription("The IAM role ARN.")
  public String roleArn;

  @JsonPropertyDescription("kubernetes backend: the ServiceAccount tasks run under.")
  public String serviceAccountName;

  @JsonPropertyDescription("kubernetes backend with Pod Identity: the association id.")
  public String podIdentityAssociationId;
}
