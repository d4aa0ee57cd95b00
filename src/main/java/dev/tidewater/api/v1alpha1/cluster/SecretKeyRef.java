package dev.tidewater.api.v1alpha1.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Secret of this namespace holding AWS keys. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  @JsonPropertyDescription("Secret name.")
  @Required
  public String name;

  @JsonPropertyDescription("Key of the access key id (default AWS_ACCESS_KEY_ID).")
  public String accessKeyIdKey;

  @JsonPropertyDescription("Key of the secret access key (default AWS_SECRET_ACCESS_KEY).")
  public String secretAccessKeyKey;

  @JsonPropertyDescription("Key of an optional session token (default AWS_SESSION_TOKEN).")
  public String sessionTokenKey;
}
