package dev.tidewater.api.v1alpha1.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The private CA of Service Connect TLS. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceConnectTlsCertificateAuthority {

  @JsonPropertyDescription("AWS Private CA ARN.")
  public String awsPcaAuthorityArn;
}
