package dev.tidewater.backend.kubernetes;

import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.backend.ResolvedCluster;
import dev.tidewater.backend.TaskRoleBackend;
import dev.tidewater.backend.aws.ClusterAwsContexts;
import dev.tidewater.backend.aws.TaskRoleIam;
import dev.tidewater.backend.kubernetes.children.TaskRoleServiceAccount;
import dev.tidewater.model.TaskRoleNames;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.model.TrustPolicies;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A TaskRole on the kubernetes backend: the ServiceAccount its pods run as ({@link
 * TaskRoleServiceAccount}: claimed before any IAM call, server-side applied, an old name deleted)
 * and, when the Cluster has an AWS context and an EKS identity mode, an IAM role trusted for
 * exactly that ServiceAccount (IRSA) or for EKS Pod Identity.
 */
public final class KubernetesTaskRoleBackend implements TaskRoleBackend {

  private final TaskRoleIam iam;
  private final KubernetesClient client;

  public KubernetesTaskRoleBackend(TaskRoleIam iam, KubernetesClient client) {
    this.iam = iam;
    this.client = client;
  }

  @Override
  public boolean wantsIamRole(ResolvedCluster cluster) {
    return ClusterAwsContexts.hasAws(cluster);
  }

  @Override
  public List<TrustPolicies.Principal> principals(Input input) {
    return TrustPolicies.principals(
        input.cluster().spec(), false, input.namespace(), input.serviceAccountName());
  }

  @Override
  public IdentityClaim claimIdentity(Input input) {
    // before any IAM call: a role is never made trusting a ServiceAccount the TaskRole may not have
    TaskRoleServiceAccount.Claim claim =
        TaskRoleServiceAccount.claim(
            input.role(),
            input.serviceAccountName(),
            current(input, input.serviceAccountName()),
            input.ceiling());
    return new IdentityClaim(claim.adopted(), claim.problem());
  }

  @Override
  public IamTarget iamTarget(Input input) {
    return iam.target(input);
  }

  @Override
  public IamState convergeIam(Input input, IamTarget target, IamRequest request) {
    return iam.converge(input, target, request);
  }

  @Override
  public IamRemoval removeIam(Input input, Optional<String> boundary) {
    return iam.remove(input, boundary);
  }

  /**
   * The ServiceAccount {@code name}: from the informer of owned ones, else read (one the TaskRole
   * does not own is not cached).
   */
  private Optional<ServiceAccount> current(Input input, String name) {
    Optional<ServiceAccount> owned = owned(input, name);
    if (owned.isPresent()) return owned;
    return Optional.ofNullable(
        client.serviceAccounts().inNamespace(input.namespace()).withName(name).get());
  }

  private static Optional<ServiceAccount> owned(Input input, String name) {
    return input.owned().of(ServiceAccount.class).stream()
        .filter(sa -> name.equals(sa.getMetadata().getName()))
        .filter(sa -> TaskRoleServiceAccount.controlledBy(sa, input.role()))
        .findFirst();
  }

  @Override
  public String applyIdentity(Input input, IdentityClaim claim, String irsaRoleArn) {
    TaskRole role = input.role();
    String name = input.serviceAccountName();
    boolean adopted = claim.adopted();
    Set<ServiceAccount> owned = input.owned().of(ServiceAccount.class);
    Optional<ServiceAccount> current = adopted ? current(input, name) : owned(input, name);
    ServiceAccount desired = TaskRoleServiceAccount.desired(role, name, irsaRoleArn, adopted);
    // a label or annotation of ours someone else changed or removed is restored (AppliedFields);
    // not on an adopted ServiceAccount, whose other managers' fields are never forced over
    boolean upToDate =
        current.isPresent()
            && Objects.equals(
                irsaRoleArn,
                current.get().getMetadata().getAnnotations() == null
                    ? null
                    : current
                        .get()
                        .getMetadata()
                        .getAnnotations()
                        .get(TaskRoleServiceAccount.ROLE_ARN_ANNOTATION))
            && (adopted || !AppliedFields.drifted(desired, current.get()));
    if (!upToDate) {
      // server-side apply: an annotation this field manager set before and leaves out now goes;
      // on an adopted ServiceAccount never forced over another manager's field
      var apply = client.resource(desired).fieldManager(TidewaterLabels.FIELD_MANAGER);
      if (!adopted) apply = apply.forceConflicts();
      apply.serverSideApply();
    }
    // a renamed ServiceAccount: the old one goes (it is ours: controlled and labelled)
    owned.stream()
        .filter(sa -> !name.equals(sa.getMetadata().getName()))
        .filter(sa -> TaskRoleServiceAccount.controlledBy(sa, role))
        .forEach(sa -> client.resource(sa).delete());
    return name;
  }

  /**
   * An adopted ServiceAccount (one the TaskRole uses but does not control) stays when the TaskRole
   * goes; what Tidewater's field manager set on it (the IRSA role annotation) goes: an apply of
   * nothing releases every field the manager held.
   */
  @Override
  public void releaseIdentity(Input input) {
    String saName = TaskRoleNames.serviceAccountName(input.role());
    ServiceAccount sa =
        client.serviceAccounts().inNamespace(input.namespace()).withName(saName).get();
    if (sa == null
        || TaskRoleServiceAccount.controlledBy(sa, input.role())
        || sa.getMetadata().getManagedFields() == null
        || sa.getMetadata().getManagedFields().stream()
            .noneMatch(m -> TidewaterLabels.FIELD_MANAGER.equals(m.getManager()))) {
      return;
    }
    client
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(saName)
                .withNamespace(input.namespace())
                .endMetadata()
                .build())
        .fieldManager(TidewaterLabels.FIELD_MANAGER)
        .serverSideApply();
  }
}
