package dev.tidewater.backend.aws;

import dev.tidewater.api.v1alpha1.cluster.AwsSettings;
import dev.tidewater.api.v1alpha1.cluster.SecretKeyRef;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.aws.AwsCredentialsSource;
import dev.tidewater.aws.AwsErrors;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.model.AwsNames;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TenancyCeiling;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The AWS context of a Cluster: its own region / endpoint / credentials Secret / role to assume,
 * falling back to the operator-wide settings ({@code tidewater.aws.*}) and the default credential
 * chain (which covers the operator's own IRSA / Pod Identity).
 */
public final class ClusterAwsContexts {

  /** Why a Cluster's AWS context cannot be built; the message names the field. */
  public static final class InvalidAwsContext extends RuntimeException {
    private final String reason;

    public InvalidAwsContext(String reason, String message) {
      super(message);
      this.reason = reason;
    }

    /** Machine-readable reason for a condition, e.g. {@code CredentialsSecretNotFound}. */
    public String reason() {
      return reason;
    }
  }

  /** A role in another account named without spec.aws.externalId. */
  public static final String EXTERNAL_ID_REQUIRED = "ExternalIdRequired";

  private static final Pattern ROLE_ACCOUNT = Pattern.compile("^arn:[^:]+:iam::([0-9]{12}):role/");

  private final dev.tidewater.aws.AwsSettings operatorSettings;
  private final Function<AwsContext, String> callerAccount;
  private final Function<String, TenancyCeiling> ceilings;

  /**
   * @param callerAccount the account of a context's base credentials (see {@link
   *     dev.tidewater.aws.AwsClientFactory#callerAccount}), asked only for Clusters with an {@code
   *     assumeRoleArn} and no {@code externalId}
   * @param ceilings the tenancy ceiling of a namespace: a Cluster's endpoint, role to assume and
   *     its account must be granted before any request is signed for them
   */
  public ClusterAwsContexts(
      dev.tidewater.aws.AwsSettings operatorSettings,
      Function<AwsContext, String> callerAccount,
      Function<String, TenancyCeiling> ceilings) {
    this.operatorSettings = operatorSettings;
    this.callerAccount = callerAccount;
    this.ceilings = ceilings;
  }

  /** Whether the Cluster names an AWS context of its own (an {@code aws} section). */
  public static boolean hasAws(ResolvedCluster cluster) {
    return cluster.spec().aws != null;
  }

  /**
   * The context AWS calls of resources on {@code cluster} use. Reads the credentials Secret (in
   * {@code namespace}, the Cluster's) when one is named; its values never leave the returned
   * context.
   *
   * <p>With {@code assumeRoleArn}, the session is named after the Cluster ({@link
   * AwsNames#roleSessionName}) and a role in another account than the base credentials' needs
   * {@code externalId}: the operator assumes roles for every tenant, so a role's trust policy must
   * be able to tell which Cluster asks (docs/install.md).
   *
   * <p>The namespace's tenancy ceiling is checked first, whoever asks (the Cluster's reconciler
   * refuses the same, this is the line every workload's AWS calls pass): an endpoint, role or
   * account not granted gets no request at all, so the operator's signed requests never reach an
   * endpoint a namespace chose alone.
   *
   * @throws InvalidAwsContext when the ceiling refuses the Cluster's AWS settings ({@link
   *     TenancyCeiling#EXCEEDS}), the Secret or one of its keys is missing, or a cross-account role
   *     has no external id
   */
  /**
   * {@link #resolve}, an invalid context failing as the backends report it: Degraded with its
   * reason (the resource waits for the Cluster or its Secret to change).
   */
  public AwsContext resolveOrFail(
      ResolvedCluster cluster, String namespace, KubernetesClient client) {
    try {
      return resolve(cluster, namespace, client);
    } catch (InvalidAwsContext e) {
      throw dev.tidewater.backend.BackendFailure.degraded(e.reason(), e.getMessage());
    }
  }

  public AwsContext resolve(ResolvedCluster cluster, String namespace, KubernetesClient client) {
    AwsSettings aws = cluster.spec().aws == null ? new AwsSettings() : cluster.spec().aws;
    List<Problem> refused =
        ceilings.apply(namespace).refusalsOf(cluster.spec(), null).stream()
            .filter(p -> p.path().startsWith("aws."))
            .toList();
    if (!refused.isEmpty()) {
      Problem first = refused.get(0);
      throw new InvalidAwsContext(
          TenancyCeiling.EXCEEDS, "spec." + first.path() + ": " + first.message());
    }
    String region = aws.region != null ? aws.region : operatorSettings.region();
    Optional<URI> endpoint =
        aws.endpoint != null ? Optional.of(URI.create(aws.endpoint)) : operatorSettings.endpoint();
    AwsCredentialsSource credentials =
        aws.credentialsSecretRef == null
            ? AwsCredentialsSource.DEFAULT_CHAIN
            : staticCredentials(aws.credentialsSecretRef, namespace, client);
    String clusterName = Objects.requireNonNullElse(cluster.name(), "default");
    AwsContext ctx =
        new AwsContext(
            region,
            endpoint,
            credentials,
            Optional.ofNullable(aws.assumeRoleArn),
            Optional.ofNullable(aws.externalId),
            aws.assumeRoleArn == null
                ? AwsContext.DEFAULT_SESSION_NAME
                : AwsNames.roleSessionName(namespace, clusterName));
    if (aws.assumeRoleArn != null && (aws.externalId == null || aws.externalId.isBlank())) {
      Matcher role = ROLE_ACCOUNT.matcher(aws.assumeRoleArn);
      String roleAccount = role.find() ? role.group(1) : null;
      String own;
      try {
        own = callerAccount.apply(ctx);
      } catch (SdkException e) {
        throw new InvalidAwsContext(
            AwsErrors.reasonOf(e).name(),
            "spec.aws.assumeRoleArn: sts:GetCallerIdentity, to tell whether the role is in"
                + " another account, failed: "
                + AwsErrors.messageOf(e));
      }
      if (!Objects.equals(roleAccount, own)) {
        throw new InvalidAwsContext(
            EXTERNAL_ID_REQUIRED,
            "spec.aws.externalId: role "
                + aws.assumeRoleArn
                + " is in account "
                + roleAccount
                + ", not the operator's ("
                + own
                + "): a role in another account is assumed only with an external id, which its"
                + " trust policy pins with sts:ExternalId (and sts:RoleSessionName "
                + ctx.roleSessionName()
                + "), see docs/install.md");
      }
    }
    return ctx;
  }

  private static AwsCredentialsSource staticCredentials(
      SecretKeyRef ref, String namespace, KubernetesClient client) {
    Secret secret;
    try {
      secret = client.secrets().inNamespace(namespace).withName(ref.name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      throw new InvalidAwsContext(
          "CredentialsSecretForbidden",
          "spec.aws.credentialsSecretRef.name: the operator may not read Secret "
              + ref.name
              + " (the Helm chart grants it with rbac.readSecrets=true)");
    }
    if (secret == null) {
      throw new InvalidAwsContext(
          "CredentialsSecretNotFound",
          "spec.aws.credentialsSecretRef.name: Secret " + ref.name + " does not exist");
    }
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String accessKeyIdKey = ref.accessKeyIdKey != null ? ref.accessKeyIdKey : "AWS_ACCESS_KEY_ID";
    String secretKey =
        ref.secretAccessKeyKey != null ? ref.secretAccessKeyKey : "AWS_SECRET_ACCESS_KEY";
    String tokenKey = ref.sessionTokenKey != null ? ref.sessionTokenKey : "AWS_SESSION_TOKEN";
    return new AwsCredentialsSource.Static(
        required(data, accessKeyIdKey, ref, "accessKeyIdKey"),
        required(data, secretKey, ref, "secretAccessKeyKey"),
        Optional.ofNullable(data.get(tokenKey)).map(ClusterAwsContexts::decode));
  }

  private static String required(
      Map<String, String> data, String key, SecretKeyRef ref, String field) {
    String value = data.get(key);
    if (value == null) {
      throw new InvalidAwsContext(
          "CredentialsSecretInvalid",
          "spec.aws.credentialsSecretRef." + field + ": Secret " + ref.name + " has no key " + key);
    }
    return decode(value);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).trim();
  }
}
