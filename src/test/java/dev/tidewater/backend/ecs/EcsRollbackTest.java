package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.backend.ServiceObservation;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.controller.RollbackMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.CreateServiceRequest;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * DESIGN.md rule 7 on the ecs backend, as data: what DescribeServices shows while ECS's circuit
 * breaker rolls a revision back, what the backend reports, what the controller remembers, and that
 * the next passes neither re-apply the failed revision nor see drift — until the TaskDefinition
 * changes. (moto never moves rolloutState and ignores attempts to set deployments, so this is not
 * shown against moto.)
 */
class EcsRollbackTest {

  private static final String REV1 = "arn:aws:ecs:us-east-1:1:task-definition/shop-web:1";
  private static final String REV2 = "arn:aws:ecs:us-east-1:1:task-definition/shop-web:2";
  private static final String REV3 = "arn:aws:ecs:us-east-1:1:task-definition/shop-web:3";
  private static final Map<Integer, String> ARNS = Map.of(1, REV1, 2, REV2, 3, REV3);

  private static Deployment deployment(String status, String td, String rollout) {
    return Deployment.builder().status(status).taskDefinition(td).rolloutState(rollout).build();
  }

  private static Service described(String td, Deployment... deployments) {
    return Service.builder()
        .serviceName("shop-web")
        .status("ACTIVE")
        .taskDefinition(td)
        .desiredCount(2)
        .runningCount(2)
        .pendingCount(0)
        .deployments(deployments)
        .loadBalancers(List.of())
        .build();
  }

  private static ServicePlan plan(int revision) {
    return new ServicePlan(revision, null, "web", null, ARNS.get(revision));
  }

  /** What the backend reports for {@code service} under {@code plan}. */
  private static ServiceObservation observe(Service service, ServicePlan plan) {
    EcsRollouts.Reading r = EcsRollouts.read(service, plan.taskDefinitionArn());
    return new ServiceObservation(
        r.desired(),
        r.running(),
        r.pending(),
        EcsServiceBackend.observedRevision(r, plan, ARNS),
        r.rollout(),
        List.of(),
        List.of());
  }

  /**
   * The UpdateService the backend would send (the task definition left as ECS chose on a rollback).
   */
  private static List<String> differingFields(Service service, ServicePlan plan) {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "web";
    spec.desiredCount = 2;
    CreateServiceRequest desired =
        EcsServiceRequests.create(
            spec,
            new EcsServiceRequests.Target(
                "c", "shop-web", plan.taskDefinitionArn(), List.of(), Map.of(), "t"));
    if (EcsRollouts.read(service, plan.taskDefinitionArn()).rolledBack()) {
      desired = desired.toBuilder().taskDefinition(service.taskDefinition()).build();
    }
    return EcsServiceRequests.difference(desired, service, false).fields();
  }

  @Test
  void aRolledBackRevisionIsRememberedAndNotReappliedUntilTheTaskDefinitionChanges() {
    List<Integer> rolledBack = new ArrayList<>();
    Integer stable = 1;

    // revision 2 is the latest: it is the target, and rolling out
    Integer target = RollbackMemory.target(2, stable, rolledBack);
    assertThat(target).isEqualTo(2);
    Service rollingOut =
        described(
            REV2,
            deployment("PRIMARY", REV2, "IN_PROGRESS"),
            deployment("ACTIVE", REV1, "COMPLETED"));
    assertThat(differingFields(rollingOut, plan(2))).isEmpty();
    assertThat(RollbackMemory.isRollback(observe(rollingOut, plan(2)), target, stable, true))
        .isFalse();

    // the circuit breaker trips: ECS goes back to revision 1 by itself
    Service rollingBack =
        described(
            REV1, deployment("PRIMARY", REV1, "IN_PROGRESS"), deployment("ACTIVE", REV2, "FAILED"));
    ServiceObservation seen = observe(rollingBack, plan(2));
    assertThat(seen.revision()).isEqualTo(2);
    assertThat(seen.rollout()).isEqualTo(ServiceObservation.RolloutState.FAILED);
    assertThat(differingFields(rollingBack, plan(2)))
        .as("ECS's rollback is not corrected as drift")
        .isEmpty();
    assertThat(RollbackMemory.isRollback(seen, target, stable, true)).isTrue();
    rolledBack.add(target);

    // from now on the stable revision is the target: nothing to change, during the rollback ...
    target = RollbackMemory.target(2, stable, rolledBack);
    assertThat(target).isEqualTo(1);
    assertThat(differingFields(rollingBack, plan(target))).isEmpty();
    // ... and after it, once the failed deployment left the description
    Service rolledBackService = described(REV1, deployment("PRIMARY", REV1, "COMPLETED"));
    assertThat(differingFields(rolledBackService, plan(target))).isEmpty();
    assertThat(observe(rolledBackService, plan(target)).revision()).isEqualTo(1);

    // a TaskDefinition change is a new attempt
    target = RollbackMemory.target(3, stable, rolledBack);
    assertThat(target).isEqualTo(3);
    assertThat(differingFields(rolledBackService, plan(target))).containsExactly("taskDefinition");
  }

  @Test
  void withoutRollbackOnAFailedRolloutIsNotRemembered() {
    Service failed = described(REV2, deployment("PRIMARY", REV2, "FAILED"));
    ServiceObservation seen = observe(failed, plan(2));

    assertThat(seen.rollout()).isEqualTo(ServiceObservation.RolloutState.FAILED);
    assertThat(RollbackMemory.isRollback(seen, 2, 1, false)).isFalse();
  }

  @Test
  void anOutOfBandTaskDefinitionChangeIsDriftNotARollback() {
    Service changed = described(REV1, deployment("PRIMARY", REV1, "COMPLETED"));
    ServiceObservation seen = observe(changed, plan(2));

    assertThat(RollbackMemory.isRollback(seen, 2, 1, true)).isFalse();
    assertThat(differingFields(changed, plan(2))).containsExactly("taskDefinition");
  }
}
