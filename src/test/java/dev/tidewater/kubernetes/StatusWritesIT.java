package dev.tidewater.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.testing.AuditLog;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the operator writes for a workload on the kubernetes backend, by verb and resource from the
 * API server's audit log (issue 18: a status is written when it says something new): a new workload
 * is one ControllerRevision, one Deployment apply, one TaskDefinition status and one Service status
 * each, and a rollout's moving counts are not written.
 *
 * <p>The operator runs with a progress interval longer than any test here ({@code
 * tidewater.status.progress-interval}), so that what it writes does not depend on how fast the
 * ground is: a status that only reports a rollout's progress is held for all of the test, and what
 * is written is what says something new. That a held status is written once its interval ends is
 * {@code ProgressPacingTest}'s and {@code ServiceReconcilerDecisionsTest}'s.
 */
class StatusWritesIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final String CONTROLLER_MANAGER = "system:kube-controller-manager";

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("writes", Map.of(), List.of("-Dtidewater.status.progress-interval=10m"));

  private String ns;

  @BeforeEach
  void namespace() {
    ns = onGround.namespace();
  }

  private EcsService service(String name) {
    return admin.resources(EcsService.class).inNamespace(ns).withName(name).get();
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  /** A TaskDefinition whose container's startTimeout the kubernetes backend cannot honour. */
  private static String taskDefinitionYaml(String image) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: app
        spec:
          requiresCompatibilities: [EC2]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: web
            image: %s
            startTimeout: 30
            portMappings:
            - containerPort: 8080
        """
        .formatted(image);
  }

  private static final Map<String, Integer> SERVICES = Map.of("web-1", 1, "web-2", 2, "web-3", 3);

  private void awaitRunning(int revision) {
    await()
        .ignoreException(NullPointerException.class)
        .atMost(Duration.ofSeconds(120))
        .untilAsserted(
            () ->
                SERVICES.forEach(
                    (name, desired) -> {
                      EcsService s = service(name);
                      assertThat(s.getStatus()).as(name).isNotNull();
                      assertThat(s.getStatus().revision).as(name).isEqualTo(revision);
                      assertThat(s.getStatus().runningCount).as(name).isEqualTo(desired);
                      assertThat(s.getStatus().desiredCount).as(name).isEqualTo(desired);
                      assertThat(s.getStatus().getConditions())
                          .as(name)
                          .anySatisfy(
                              c -> {
                                assertThat(c.getType()).isEqualTo("Ready");
                                assertThat(c.getStatus()).isEqualTo("True");
                              });
                    }));
  }

  /** The operator's writes in this namespace, counted by "verb resource[/subresource]". */
  private static Map<String, Long> byKind(List<AuditLog.Write> writes) {
    return writes.stream()
        .collect(
            Collectors.groupingBy(
                w ->
                    w.verb()
                        + " "
                        + w.resource()
                        + (w.subresource() == null ? "" : "/" + w.subresource()),
                TreeMap::new,
                Collectors.counting()));
  }

  private List<AuditLog.Write> operatorWrites(List<AuditLog.Write> all) {
    return all.stream()
        .filter(w -> ground.operatorUser().equals(w.user()) && ns.equals(w.namespace()))
        .toList();
  }

  private static long count(
      List<AuditLog.Write> writes, String verb, String resource, String name) {
    return writes.stream()
        .filter(
            w ->
                w.verb().equals(verb)
                    && (w.resource() + (w.subresource() == null ? "" : "/" + w.subresource()))
                        .equals(resource)
                    && name.equals(w.name()))
        .count();
  }

  @Test
  void aNewWorkloadIsARevisionADeploymentATaskDefinitionStatusAndOneServiceStatus() {
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();

    apply(taskDefinitionYaml("public.ecr.aws/nginx/nginx:1.26"));
    SERVICES.forEach((name, desired) -> apply(Resources.service(name, desired)));
    awaitRunning(1);

    List<AuditLog.Write> all = audit.writesSince(mark);
    List<AuditLog.Write> ours = operatorWrites(all);
    assertThat(ours)
        .as("the operator's writes")
        .allSatisfy(w -> assertThat(w.code()).isLessThan(300));
    assertThat(byKind(ours))
        .as("the operator's writes by kind: %s", ours)
        .isEqualTo(
            Map.of(
                "create controllerrevisions", 1L,
                "patch taskdefinitions/status", 1L,
                "patch deployments", 3L,
                "patch services/status", 3L,
                // one FieldsNotHonoured per Service (startTimeout), told with its status
                "create events", 3L));
    for (String name : SERVICES.keySet()) {
      assertThat(count(ours, "patch", "deployments", name)).as(name).isOne();
      assertThat(count(ours, "patch", "services/status", name)).as(name).isOne();
      // nothing was said before the Deployment controller had reported on the Deployment
      int firstDeploymentStatus =
          indexOf(all, w -> CONTROLLER_MANAGER.equals(w.user()), "deployments/status", name);
      int firstServiceStatus =
          indexOf(all, w -> ground.operatorUser().equals(w.user()), "services/status", name);
      assertThat(firstDeploymentStatus).as("%s: the Deployment's status", name).isNotNegative();
      assertThat(firstServiceStatus)
          .as("%s: the Service's status comes after its Deployment's", name)
          .isGreaterThan(firstDeploymentStatus);
      EcsService s = service(name);
      assertThat(s.getStatus().rolloutState).isEqualTo("COMPLETED");
      assertThat(s.getStatus().getWarnings())
          .as("%s: what cannot be honoured is in the status", name)
          .anySatisfy(w -> assertThat(w.field()).contains("startTimeout"));
      assertThat(Resources.events(admin, ns, name, "FieldsNotHonoured"))
          .as("%s: told once", name)
          .hasSize(1);
    }
  }

  @Test
  void aNewRevisionsRolloutIsWrittenWhenItStartsAndWhenItEndsNotAsItsCountsMove() {
    apply(taskDefinitionYaml("public.ecr.aws/nginx/nginx:1.26"));
    SERVICES.forEach((name, desired) -> apply(Resources.service(name, desired)));
    awaitRunning(1);
    AuditLog audit = ground.auditLog();
    AuditLog.Mark mark = audit.mark();

    apply(taskDefinitionYaml("public.ecr.aws/nginx/nginx:1.27"));
    awaitRunning(2);

    List<AuditLog.Write> all = audit.writesSince(mark);
    List<AuditLog.Write> ours = operatorWrites(all);
    assertThat(
            ours.stream()
                .filter(
                    w -> w.verb().equals("create") && w.resource().equals("controllerrevisions"))
                .count())
        .as("one new revision: %s", ours)
        .isOne();
    for (String name : SERVICES.keySet()) {
      assertThat(count(ours, "patch", "deployments", name)).as("%s: %s", name, ours).isOne();
      // the Deployment controller reports every step of a rolling update of up to 3 pods; the
      // Service says "rolling out revision 2" (when it sees it start) and Ready, no step between
      assertThat(count(ours, "patch", "services/status", name))
          .as("%s: %s", name, ours)
          .isBetween(1L, 2L);
      assertThat(
              all.stream()
                  .filter(
                      w ->
                          CONTROLLER_MANAGER.equals(w.user())
                              && "deployments".equals(w.resource())
                              && "status".equals(w.subresource())
                              && name.equals(w.name()))
                  .count())
          .as("%s: the Deployment controller's status writes, more than the Service's", name)
          .isGreaterThanOrEqualTo(2);
    }
  }

  private static int indexOf(
      List<AuditLog.Write> writes,
      java.util.function.Predicate<AuditLog.Write> by,
      String resource,
      String name) {
    for (int i = 0; i < writes.size(); i++) {
      AuditLog.Write w = writes.get(i);
      if (by.test(w)
          && (w.resource() + (w.subresource() == null ? "" : "/" + w.subresource()))
              .equals(resource)
          && name.equals(w.name())) {
        return i;
      }
    }
    return -1;
  }
}
