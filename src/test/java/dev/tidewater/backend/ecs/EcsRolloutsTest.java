package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.backend.ServiceObservation.RolloutState;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.Service;

/** Rollout state and circuit-breaker rollbacks read from DescribeServices output, as data. */
class EcsRolloutsTest {

  private static final String OLD = "arn:aws:ecs:us-east-1:1:task-definition/web:1";
  private static final String NEW = "arn:aws:ecs:us-east-1:1:task-definition/web:2";

  private static Deployment deployment(String status, String td, String rollout) {
    return Deployment.builder().status(status).taskDefinition(td).rolloutState(rollout).build();
  }

  private static Service service(String td, Deployment... deployments) {
    return Service.builder()
        .taskDefinition(td)
        .desiredCount(2)
        .runningCount(2)
        .pendingCount(0)
        .deployments(deployments)
        .build();
  }

  @Test
  void aCompletedPrimaryIsACompletedRollout() {
    EcsRollouts.Reading r =
        EcsRollouts.read(service(NEW, deployment("PRIMARY", NEW, "COMPLETED")), NEW);

    assertThat(r.rollout()).isEqualTo(RolloutState.COMPLETED);
    assertThat(r.rolledBack()).isFalse();
    assertThat(r.taskDefinitionArn()).isEqualTo(NEW);
    assertThat(r.desired()).isEqualTo(2);
  }

  @Test
  void aNewDeploymentBesideTheOldOneIsInProgress() {
    EcsRollouts.Reading r =
        EcsRollouts.read(
            service(
                NEW,
                deployment("PRIMARY", NEW, "IN_PROGRESS"),
                deployment("ACTIVE", OLD, "COMPLETED")),
            NEW);

    assertThat(r.rollout()).isEqualTo(RolloutState.IN_PROGRESS);
    assertThat(r.rolledBack()).isFalse();
  }

  @Test
  void theCircuitBreakerRollingBackThePlannedRevisionIsARollback() {
    // ECS: the failed deployment stays ACTIVE with rolloutState FAILED while a new PRIMARY
    // deployment of the previous task definition replaces it
    EcsRollouts.Reading r =
        EcsRollouts.read(
            service(
                OLD,
                deployment("PRIMARY", OLD, "IN_PROGRESS"),
                deployment("ACTIVE", NEW, "FAILED")),
            NEW);

    assertThat(r.rolledBack()).isTrue();
    assertThat(r.rollout()).isEqualTo(RolloutState.FAILED);
    assertThat(r.taskDefinitionArn()).isEqualTo(OLD);
  }

  @Test
  void aFailedPrimaryWithoutRollbackIsAFailedRolloutNotARollback() {
    EcsRollouts.Reading r =
        EcsRollouts.read(service(NEW, deployment("PRIMARY", NEW, "FAILED")), NEW);

    assertThat(r.rollout()).isEqualTo(RolloutState.FAILED);
    assertThat(r.rolledBack()).isFalse();
  }

  @Test
  void anOutOfBandTaskDefinitionChangeIsNotARollback() {
    // someone pointed the service at another revision: drift, to be corrected
    EcsRollouts.Reading r =
        EcsRollouts.read(service(OLD, deployment("PRIMARY", OLD, "COMPLETED")), NEW);

    assertThat(r.rolledBack()).isFalse();
    assertThat(r.rollout()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void withoutDeploymentsTheCountsDecide() {
    assertThat(EcsRollouts.read(service(NEW), NEW).rollout()).isEqualTo(RolloutState.COMPLETED);
    assertThat(EcsRollouts.read(service(NEW).toBuilder().runningCount(1).build(), NEW).rollout())
        .isEqualTo(RolloutState.IN_PROGRESS);
  }
}
