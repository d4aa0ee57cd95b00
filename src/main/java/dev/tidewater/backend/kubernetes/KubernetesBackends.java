package dev.tidewater.backend.kubernetes;

import dev.tidewater.backend.BackendDependencies;
import dev.tidewater.backend.Backends;

/** The kubernetes backend of every kind, as {@code BackendFactory} registers it. */
public final class KubernetesBackends {

  private KubernetesBackends() {}

  public static Backends create(BackendDependencies deps) {
    KubernetesTaskBackend tasks = new KubernetesTaskBackend(deps.client());
    return new Backends(
        new KubernetesClusterBackend(),
        new KubernetesTaskDefinitionBackend(deps.client()),
        new KubernetesServiceBackend(
            deps.kubernetesSettings().externalSecretsCheckPeriod(), deps.client()),
        new KubernetesTaskRoleBackend(deps.taskRoleIam(), deps.client()),
        new KubernetesRouteBackend(deps.routeElb(), deps.client()),
        tasks,
        new KubernetesScheduledTaskBackend(deps.client(), tasks));
  }
}
