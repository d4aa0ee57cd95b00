package dev.tidewater.backend.aws;

import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import io.fabric8.kubernetes.api.model.HasMetadata;
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

  /** An association: its id, the role it hands out and its tags. */
  public record Association(String id, String roleArn, Map<String, String> tags) {}

  /** An association of the ServiceAccount that is not the TaskRole's to change. */
  public static final class ForeignAssociation extends RuntimeException {
    ForeignAssociation(String message) {
      super(message);
    }
  }

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
    return Optional.of(
        new Association(
            association.associationId(),
            association.roleArn(),
            association.tags() == null ? Map.of() : association.tags()));
  }

  /**
   * Makes the ServiceAccount's association hand out {@code roleArn}: creates it (with {@code
   * owner}'s tags) when missing, updates its role when it names another one, and leaves it alone
   * otherwise. An existing association not tagged for {@code owner} is left alone unless {@code
   * adopt} and it carries no other Tidewater resource's tags.
   *
   * @return the association id
   * @throws ForeignAssociation when the existing association is not {@code owner}'s to change
   */
  public String ensure(
      AwsContext ctx,
      String clusterName,
      String namespace,
      String serviceAccount,
      String roleArn,
      HasMetadata owner,
      Boolean adopt) {
    EksClient eks = clients.eks(ctx);
    Map<String, String> tags = AwsOwnership.tags(owner, Map.of());
    Optional<Association> existing = find(ctx, clusterName, namespace, serviceAccount);
    if (existing.isPresent()) {
      AwsOwnership.Claim claim = AwsOwnership.claim(owner, existing.get().tags());
      if (!claim.usable(adopt)) {
        throw new ForeignAssociation(
            "the Pod Identity association "
                + existing.get().id()
                + " of ServiceAccount "
                + namespace
                + "/"
                + serviceAccount
                + " was not made by Tidewater for this TaskRole"
                + claim.conflictHint(existing.get().tags()));
      }
    }
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
