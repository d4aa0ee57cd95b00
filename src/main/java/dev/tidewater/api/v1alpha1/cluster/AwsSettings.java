package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The AWS context of a Cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AwsSettings {

  @JsonPropertyDescription("AWS region (default: the operator's).")
  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]+$")
  public String region;

  @JsonPropertyDescription("Endpoint override for every AWS API (VPC endpoints, tests).")
  @Pattern("^https?://.+$")
  public String endpoint;

  @JsonPropertyDescription(
      "Static keys from a Secret; default: the operator's own credential chain (IRSA / Pod Identity).")
  public SecretKeyRef credentialsSecretRef;

  @JsonPropertyDescription("Role to assume (e.g. in another account).")
  @Pattern("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$")
  public String assumeRoleArn;

  @JsonPropertyDescription("External id for assumeRoleArn.")
  @Size(max = 1224)
  public String externalId;
}
