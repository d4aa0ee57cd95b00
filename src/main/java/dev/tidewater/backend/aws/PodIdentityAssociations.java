package dev.tidewater.backend.aws;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociation;
import software.amazon.awssdk.services.eks.model.PodIdentityAssociationSummary;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;

/**
 * EKS Pod Identity associations of TaskRoles' ServiceAccounts: one per (EKS cluster, namespace,
 * ServiceAccount), found before created, pointed at the TaskRole's IAM role.
 */
public final class PodIdentityAssociations {

  /** An association: its id and the role it hands out. */
  public record Association(String id, String roleArn) {}

  private final AwsClientFactory clients;

  public PodIdentityAssociations(AwsClientFactory clients) {
    this.clients = clients;
  }

  /**
   * The association of a ServiceAccount (ListPodIdentityAssociations, then
   * DescribePodIdentityAssociation for its role), if there is one.
   */
  public Optional<Association> find(
      AwsContext ctx, String clusterName, String namespace, String serviceAccount) {
    EksClient eks = clients.eks(ctx);
    Optional<PodIdentityAssociationSummary> summary =
        eks
            .listPodIdentityAssociationsPaginator(
                r -> r.clusterName(clusterName).namespace(namespace).serviceAccount(serviceAccount))
            .associations()
            .stream()
            // the filter is AWS's; checked again so a lenient endpoint cannot hand us another's
            .filter(
                a -> namespace.equals(a.namespace()) && serviceAccount.equals(a.serviceAccount()))
            .findFirst();
    if (summary.isEmpty()) {
      return Optional.empty();
    }
    PodIdentityAssociation association =
        eks.describePodIdentityAssociation(
                r -> r.clusterName(clusterName).associationId(summary.get().associationId()))
            .association();
    return Optional.of(new Association(association.associationId(), association.roleArn()));
  }

  /**
   * Makes the ServiceAccount's association hand out {@code roleArn}: creates it (with {@code tags})
   * when missing, updates its role when it names another one, and leaves it alone otherwise.
   *
   * @return the association id
   */
  public String ensure(
      AwsContext ctx,
      String clusterName,
      String namespace,
      String serviceAccount,
      String roleArn,
      Map<String, String> tags) {
    EksClient eks = clients.eks(ctx);
    Optional<Association> existing = find(ctx, clusterName, namespace, serviceAccount);
    if (existing.isEmpty()) {
      return eks.createPodIdentityAssociation(
              r ->
                  r.clusterName(clusterName)
                      .namespace(namespace)
                      .serviceAccount(serviceAccount)
                      .roleArn(roleArn)
                      .tags(tags))
          .association()
          .associationId();
    }
    if (!roleArn.equals(existing.get().roleArn())) {
      eks.updatePodIdentityAssociation(
          r -> r.clusterName(clusterName).associationId(existing.get().id()).roleArn(roleArn));
    }
    return existing.get().id();
  }

  /** Deletes an association; one already gone counts as deleted. */
  public void delete(AwsContext ctx, String clusterName, String associationId) {
    try {
      clients
          .eks(ctx)
          .deletePodIdentityAssociation(
              r -> r.clusterName(clusterName).associationId(associationId));
    } catch (ResourceNotFoundException alreadyGone) {
      // deleted before (a retried delete after a crash)
    }
  }
}
