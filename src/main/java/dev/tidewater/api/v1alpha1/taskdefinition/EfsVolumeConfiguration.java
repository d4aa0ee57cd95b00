package dev.tidewater.api.v1alpha1.taskdefinition;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.tidewater.api.v1alpha1.schema.SchemaEnum;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** An Amazon EFS volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EfsVolumeConfiguration {

  @JsonPropertyDescription("EFS file system id.")
  @Required
  public String fileSystemId;

  @JsonPropertyDescription("Directory of the file system mounted as root.")
  public String rootDirectory;

  @JsonPropertyDescription("ENABLED or DISABLED.")
  @SchemaEnum({"ENABLED", "DISABLED"})
  public String transitEncryption;

  @JsonPropertyDescription("Port of the encrypted transport.")
  @Min(0)
  @Max(65535)
  public Integer transitEncryptionPort;

  @JsonPropertyDescription("Access point and IAM authorisation.")
  public EfsAuthorizationConfig authorizationConfig;
}
