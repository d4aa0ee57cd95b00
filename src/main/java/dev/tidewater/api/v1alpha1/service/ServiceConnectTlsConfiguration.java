package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Service Connect TLS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectTlsConfiguration {

  @JsonPropertyDescription("The issuing CA.")
  @Required
  public ServiceConnectTlsCertificateAuthority issuerCertificateAuthority;

  @JsonPropertyDescription("KMS key.")
  public String kmsKey;

  @JsonPropertyDescription("Role for the CA.")
  public String roleArn;
}
