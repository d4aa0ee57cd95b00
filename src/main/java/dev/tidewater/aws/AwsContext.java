package dev.tidewater.aws;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom AWS calls go: region, optional endpoint override (moto, VPC endpoints), base
 * credentials and an optional role to assume (another account), with the session name the role's
 * trust policy can pin ({@code sts:RoleSessionName}).
 *
 * @param roleSessionName the AssumeRole session name; a Cluster's is derived from its namespace and
 *     name ({@link dev.tidewater.model.AwsNames#roleSessionName}), {@value #DEFAULT_SESSION_NAME}
 *     otherwise
 */
public record AwsContext(
    String region,
    Optional<URI> endpoint,
    AwsCredentialsSource credentials,
    Optional<String> assumeRoleArn,
    Optional<String> externalId,
    String roleSessionName) {

  /** The session name of a context that names none (the operator's own, tests). */
  public static final String DEFAULT_SESSION_NAME = "tidewater";

  public AwsContext {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(assumeRoleArn, "assumeRoleArn");
    Objects.requireNonNull(externalId, "externalId");
    Objects.requireNonNull(roleSessionName, "roleSessionName");
  }

  /** A context with the default session name. */
  public AwsContext(
      String region,
      Optional<URI> endpoint,
      AwsCredentialsSource credentials,
      Optional<String> assumeRoleArn,
      Optional<String> externalId) {
    this(region, endpoint, credentials, assumeRoleArn, externalId, DEFAULT_SESSION_NAME);
  }

  /** The context of the base credentials alone: no role assumed. */
  public AwsContext base() {
    return new AwsContext(region, endpoint, credentials, Optional.empty(), Optional.empty());
  }

  /** A context using the default credential chain (environment, profile, IRSA / Pod Identity). */
  public static AwsContext defaultChain(String region, Optional<URI> endpoint) {
    return new AwsContext(
        region, endpoint, AwsCredentialsSource.DEFAULT_CHAIN, Optional.empty(), Optional.empty());
  }

  /** This context, assuming {@code roleArn} (with an optional external id) on top of it. */
  public AwsContext assumingRole(String roleArn, Optional<String> externalId) {
    return new AwsContext(
        region, endpoint, credentials, Optional.of(roleArn), externalId, roleSessionName);
  }
}
