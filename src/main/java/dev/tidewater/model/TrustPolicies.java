package dev.tidewater.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may assume a TaskRole's IAM role: the principals a Cluster's settings call for, and the trust
 * policy document that admits exactly them.
 *
 * <ul>
 *   <li>IRSA: {@code sts:AssumeRoleWithWebIdentity} from the Cluster's OIDC provider, {@code :sub}
 *       pinned to the TaskRole's ServiceAccount and {@code :aud} to {@code sts.amazonaws.com};
 *   <li>EKS Pod Identity: {@code pods.eks.amazonaws.com} with {@code sts:AssumeRole} and {@code
 *       sts:TagSession} (the association pins the ServiceAccount);
 *   <li>ECS: {@code ecs-tasks.amazonaws.com} with {@code sts:AssumeRole}.
 * </ul>
 *
 * A Cluster with both an {@code ecs} section and an EKS identity mode (a workload moving between
 * the backends) trusts both, so the role works on either side during the move.
 */
public final class TrustPolicies {

  public static final String POLICY_VERSION = "2012-10-17";
  public static final String ECS_TASKS = "ecs-tasks.amazonaws.com";
  public static final String EKS_PODS = "pods.eks.amazonaws.com";
  public static final String STS_AUDIENCE = "sts.amazonaws.com";
  public static final String IRSA = "irsa";
  public static final String POD_IDENTITY = "podIdentity";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String OIDC_PROVIDER = ":oidc-provider/";

  /** One principal a role trusts. */
  public sealed interface Principal {}

  /** A ServiceAccount through IAM roles for service accounts (the cluster's OIDC provider). */
  public record Irsa(String oidcProviderArn, String namespace, String serviceAccount)
      implements Principal {}

  /** Any pod of an association, through EKS Pod Identity. */
  public record PodIdentity() implements Principal {}

  /** ECS tasks. */
  public record EcsTasks() implements Principal {}

  private TrustPolicies() {}

  /**
   * The principals a role of a TaskRole on a Cluster trusts: ECS tasks on the ecs backend or when
   * the Cluster has an {@code ecs} section, plus the EKS identity mode when one is set.
   *
   * @param ecsBackend whether the Cluster's backend is ecs
   * @return the principals, empty when the Cluster calls for none (kubernetes backend without an
   *     identity mode)
   */
  public static List<Principal> principals(
      ClusterSpec cluster, boolean ecsBackend, String namespace, String serviceAccount) {
    List<Principal> principals = new ArrayList<>();
    if (ecsBackend || cluster.ecs != null) {
      principals.add(new EcsTasks());
    }
    String identity = cluster.eks == null ? null : cluster.eks.identity;
    if (IRSA.equals(identity) && cluster.eks.oidcProviderArn != null) {
      principals.add(new Irsa(cluster.eks.oidcProviderArn, namespace, serviceAccount));
    } else if (POD_IDENTITY.equals(identity)) {
      principals.add(new PodIdentity());
    }
    return principals;
  }

  /** The principals as a message says them, e.g. {@code ecs-tasks.amazonaws.com and ...}. */
  public static String describe(List<Principal> principals) {
    return principals.stream()
        .map(
            p -> {
              if (p instanceof Irsa irsa) {
                return "ServiceAccount "
                    + irsa.namespace()
                    + "/"
                    + irsa.serviceAccount()
                    + " (IRSA)";
              }
              return p instanceof PodIdentity ? EKS_PODS + " (Pod Identity)" : ECS_TASKS;
            })
        .collect(java.util.stream.Collectors.joining(" and "));
  }

  /**
   * The issuer of an OIDC provider ARN, the prefix of its condition keys: what follows {@code
   * oidc-provider/}, e.g. {@code oidc.eks.us-east-1.amazonaws.com/id/ABC}.
   */
  public static String issuer(String oidcProviderArn) {
    int at = oidcProviderArn.indexOf(OIDC_PROVIDER);
    if (at < 0) {
      throw new IllegalArgumentException("not an OIDC provider ARN: " + oidcProviderArn);
    }
    return oidcProviderArn.substring(at + OIDC_PROVIDER.length());
  }

  /** The trust policy admitting exactly {@code principals}, one statement each. */
  public static JsonNode document(List<Principal> principals) {
    ObjectNode doc = NODES.objectNode();
    doc.put("Version", POLICY_VERSION);
    ArrayNode statements = doc.putArray("Statement");
    principals.forEach(p -> statements.add(statement(p)));
    return doc;
  }

  private static ObjectNode statement(Principal principal) {
    ObjectNode s = NODES.objectNode();
    s.put("Effect", "Allow");
    if (principal instanceof Irsa irsa) {
      s.putObject("Principal").put("Federated", irsa.oidcProviderArn());
      s.put("Action", "sts:AssumeRoleWithWebIdentity");
      String issuer = issuer(irsa.oidcProviderArn());
      ObjectNode equals = s.putObject("Condition").putObject("StringEquals");
      equals.put(
          issuer + ":sub",
          "system:serviceaccount:" + irsa.namespace() + ":" + irsa.serviceAccount());
      equals.put(issuer + ":aud", STS_AUDIENCE);
    } else if (principal instanceof PodIdentity) {
      s.putObject("Principal").put("Service", EKS_PODS);
      s.putArray("Action").add("sts:AssumeRole").add("sts:TagSession");
    } else {
      s.putObject("Principal").put("Service", ECS_TASKS);
      s.put("Action", "sts:AssumeRole");
    }
    return s;
  }
}
