package dev.tidewater.backend.kubernetes;

import dev.tidewater.backend.BackendDependencies;
import dev.tidewater.backend.Backends;

/** The kubernetes backend of every kind, as {@code BackendFactory} registers it. */
public final class KubernetesBackends {

  private KubernetesBackends() {}

  public static Backends create(BackendDependencies deps) {
    RevisionSpecs revisionSpecs = new RevisionSpecs(deps.kubernetesSettings().parsedRevisions());
    KubernetesTaskBackend tasks = new KubernetesTaskBackend(deps.client(), revisionSpecs);
    return new Backends(
        new KubernetesClusterBackend(),
        new KubernetesTaskDefinitionBackend(deps.client()),
        new KubernetesServiceBackend(
            deps.kubernetesSettings().externalSecretsCheckPeriod(),
            deps.client(),
            revisionSpecs,
            deps.kubernetesSettings().rememberedServices()),
        new KubernetesTaskRoleBackend(deps.taskRoleIam(), deps.client()),
        new KubernetesRouteBackend(deps.routeElb(), deps.client()),
        tasks,
        new KubernetesScheduledTaskBackend(deps.client(), tasks));
  }
}
