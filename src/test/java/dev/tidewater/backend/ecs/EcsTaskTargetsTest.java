package dev.tidewater.backend.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ecs.model.Attachment;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.NetworkBinding;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/** Matching an ECS service's tasks to the targets of its target groups, as data. */
class EcsTaskTargetsTest {

  private static final String IP_GROUP =
      "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/ip/1";
  private static final String IP_GROUP_2 =
      "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/ip2/2";
  private static final String INSTANCE_GROUP =
      "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/inst/3";
  private static final String CI_A = "arn:aws:ecs:us-east-1:1:container-instance/c/a";
  private static final String CI_B = "arn:aws:ecs:us-east-1:1:container-instance/c/b";

  private static Task awsvpc(String ip, String lastStatus) {
    return Task.builder()
        .taskArn("arn:aws:ecs:us-east-1:1:task/c/" + ip)
        .lastStatus(lastStatus)
        .attachments(
            Attachment.builder()
                .type("ElasticNetworkInterface")
                .details(
                    KeyValuePair.builder().name("subnetId").value("subnet-1").build(),
                    KeyValuePair.builder().name("privateIPv4Address").value(ip).build())
                .build())
        .build();
  }

  private static Task bridge(String instanceArn, String container, int containerPort, int host) {
    return Task.builder()
        .taskArn("arn:aws:ecs:us-east-1:1:task/c/" + instanceArn + host)
        .lastStatus("RUNNING")
        .containerInstanceArn(instanceArn)
        .containers(
            Container.builder()
                .name(container)
                .networkBindings(
                    NetworkBinding.builder().containerPort(containerPort).hostPort(host).build())
                .build())
        .build();
  }

  private static LoadBalancer lb(String group, String container, int port) {
    return LoadBalancer.builder()
        .targetGroupArn(group)
        .containerName(container)
        .containerPort(port)
        .build();
  }

  private static TargetHealthDescription target(String id, int port, String state) {
    return TargetHealthDescription.builder()
        .target(t -> t.id(id).port(port))
        .targetHealth(h -> h.state(state))
        .build();
  }

  @Test
  void awsvpcTasksMatchIpTargetsByEniAddressAndContainerPort() {
    List<Task> tasks =
        List.of(
            awsvpc("10.0.1.4", "RUNNING"),
            awsvpc("10.0.1.5", "RUNNING"),
            awsvpc("10.0.2.4", "RUNNING"),
            awsvpc("10.0.2.5", "RUNNING"));
    Map<String, List<TargetHealthDescription>> health =
        Map.of(
            IP_GROUP,
            List.of(
                target("10.0.1.4", 8080, "healthy"),
                target("10.0.1.5", 8080, "unhealthy"),
                // the right address on another port is not this task's target
                target("10.0.2.4", 9090, "healthy"),
                // a pod registered beside the tasks (routing mode aws) is no task
                target("10.244.0.7", 8080, "healthy")));
    // 10.0.2.5 is not registered at all
    assertThat(EcsTaskTargets.ready(tasks, Map.of(), List.of(lb(IP_GROUP, "web", 8080)), health))
        .isEqualTo(1);
  }

  @Test
  void onlyRunningTasksCount() {
    List<Task> tasks =
        List.of(
            awsvpc("10.0.1.4", "RUNNING"),
            awsvpc("10.0.1.5", "PENDING"),
            awsvpc("10.0.1.6", "DEACTIVATING"));
    Map<String, List<TargetHealthDescription>> health =
        Map.of(
            IP_GROUP,
            List.of(
                target("10.0.1.4", 8080, "healthy"),
                target("10.0.1.5", 8080, "healthy"),
                target("10.0.1.6", 8080, "healthy")));
    assertThat(EcsTaskTargets.ready(tasks, Map.of(), List.of(lb(IP_GROUP, "web", 8080)), health))
        .isEqualTo(1);
  }

  @Test
  void aTaskMustBeHealthyInEveryTargetGroup() {
    List<Task> tasks = List.of(awsvpc("10.0.1.4", "RUNNING"), awsvpc("10.0.1.5", "RUNNING"));
    Map<String, List<TargetHealthDescription>> health =
        Map.of(
            IP_GROUP,
            List.of(target("10.0.1.4", 8080, "healthy"), target("10.0.1.5", 8080, "healthy")),
            IP_GROUP_2,
            List.of(target("10.0.1.4", 8081, "healthy"), target("10.0.1.5", 8081, "initial")));
    List<LoadBalancer> lbs = List.of(lb(IP_GROUP, "web", 8080), lb(IP_GROUP_2, "web", 8081));
    assertThat(EcsTaskTargets.ready(tasks, Map.of(), lbs, health)).isEqualTo(1);
    // a target group not described (or gone) has nothing healthy
    assertThat(EcsTaskTargets.ready(tasks, Map.of(), lbs, Map.of(IP_GROUP, health.get(IP_GROUP))))
        .isZero();
  }

  @Test
  void bridgeTasksMatchInstanceTargetsByEc2InstanceIdAndHostPort() {
    List<Task> tasks =
        List.of(
            bridge(CI_A, "app", 80, 32768),
            bridge(CI_A, "app", 80, 32769),
            bridge(CI_B, "app", 80, 32768),
            // the load balancer names container "app": another container's binding is no target
            bridge(CI_B, "sidecar", 80, 32770));
    Map<String, String> instanceIds = Map.of(CI_A, "i-aaaa", CI_B, "i-bbbb");
    Map<String, List<TargetHealthDescription>> health =
        Map.of(
            INSTANCE_GROUP,
            List.of(
                target("i-aaaa", 32768, "healthy"),
                target("i-aaaa", 32769, "draining"),
                target("i-bbbb", 32768, "healthy"),
                target("i-bbbb", 32770, "healthy"),
                // the container port on the instance is not the task's target
                target("i-aaaa", 80, "healthy")));
    assertThat(
            EcsTaskTargets.ready(
                tasks, instanceIds, List.of(lb(INSTANCE_GROUP, "app", 80)), health))
        .isEqualTo(2);
    // without the container instances' EC2 ids nothing can be matched
    assertThat(
            EcsTaskTargets.ready(tasks, Map.of(), List.of(lb(INSTANCE_GROUP, "app", 80)), health))
        .isZero();
  }

  @Test
  void whatEachTaskWouldBeRegisteredAs() {
    assertThat(
            EcsTaskTargets.targetsOf(
                awsvpc("10.0.1.4", "RUNNING"), Map.of(), lb(IP_GROUP, "web", 8080)))
        .containsExactly(new EcsTaskTargets.Target("10.0.1.4", 8080));
    assertThat(
            EcsTaskTargets.targetsOf(
                bridge(CI_A, "app", 80, 32768),
                Map.of(CI_A, "i-aaaa"),
                lb(INSTANCE_GROUP, "app", 80)))
        .containsExactly(new EcsTaskTargets.Target("i-aaaa", 32768));
    assertThat(EcsTaskTargets.needsInstanceId(bridge(CI_A, "app", 80, 32768))).isTrue();
    // an awsvpc task on EC2 capacity has a container instance too, but its target is its ENI
    Task onEc2 = awsvpc("10.0.1.9", "RUNNING").toBuilder().containerInstanceArn(CI_A).build();
    assertThat(EcsTaskTargets.needsInstanceId(onEc2)).isFalse();
    assertThat(EcsTaskTargets.privateIp(bridge(CI_A, "app", 80, 32768))).isNull();
  }
}
