package dev.tidewater.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom AWS calls go: region, optional endpoint override (moto, VPC endpoints), base
 * credentials and an optional role to assume (another account).
 */
public record AwsContext(
    String region,
    Optional<URI> endpoint,
    AwsCredentialsSource credentials,
    Optional<String> assumeRoleArn,
    Optional<String> externalId) {

  public AwsContext {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(assumeRoleArn, "assumeRoleArn");
    Objects.requireNonNull(externalId, "externalId");
  }

  /** A context using the default credential chain (environment, profile, IRSA / Pod Identity). */
  public static AwsContext defaultChain(String region, Optional<URI> endpoint) {
    return new AwsContext(
        region, endpoint, AwsCredentialsSource.DEFAULT_CHAIN, Optional.empty(), Optional.empty());
  }

  /** This context, assuming {@code roleArn} (with an optional external id) on top of it. */
  public AwsContext assumingRole(String roleArn, Optional<String> externalId) {
    return new AwsContext(region, endpoint, credentials, Optional.of(roleArn), externalId);
  }
}
