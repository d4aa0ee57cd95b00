package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.aws.AwsOwnership;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.OperatorOnGround;
import dev.tidewater.testing.Resources;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskField;

/**
 * Tasks on the ecs backend, end to end: the packaged operator (the operator's IAM policy, through
 * the strict AWS layer) against moto, whose ECS tasks go from RUNNING to STOPPED one state per
 * DescribeTasks (exit code 0, no stop code: moto's gaps), or stay running when a test says so.
 */
class EcsTaskIT {

  private static final TestGround ground = TestGround.get();
  private static final KubernetesClient admin = ground.admin();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());

  @RegisterExtension
  static final OperatorOnGround onGround =
      new OperatorOnGround("ecstask", Map.of(), List.of("-Dtidewater.resync-period=20s"));

  private String ns;
  private List<String> subnets;
  private String securityGroup;

  @BeforeEach
  void namespaceAndNetwork() {
    ns = onGround.namespace();
    // awsvpc tasks need a VPC, a subnet and a security group in moto's EC2 first
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.1.0.0/16")).vpc().vpcId();
    // moto 5.2.5 describes an awsvpc task's ENI by its private DNS name, which it gives only in a
    // VPC with DNS host names (RunTask fails with a 500 otherwise)
    ec2.modifyVpcAttribute(r -> r.vpcId(vpc).enableDnsHostnames(b -> b.value(true)));
    subnets = new ArrayList<>();
    subnets.add(
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.1.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId());
    securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(ns).description("tasks")).groupId();
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
          ecs:
            create: true
        """);
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: batch
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: batch
            image: registry.example/batch:1
            command: [./run]
            # moto's RunTask needs a container memory (AWS takes the task's alone on Fargate)
            memory: 512
        """);
  }

  private void apply(String yaml) {
    Resources.apply(admin, yaml, ns);
  }

  private void runTask(String name, int count) {
    apply(
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Task
        metadata:
          name: %s
        spec:
          taskDefinitionRef:
            name: batch
          count: %d
          launchType: FARGATE
          networkConfiguration:
            awsvpcConfiguration:
              subnets: [%s]
              securityGroups: [%s]
              assignPublicIp: DISABLED
          tags:
          - key: team
            value: data
        """
            .formatted(name, count, String.join(", ", subnets), securityGroup));
  }

  private Task task(String name) {
    return admin.resources(Task.class).inNamespace(ns).withName(name).get();
  }

  private static Condition condition(Task t, String type) {
    return t.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private static EcsClient ecs() {
    return aws.ecs(MOTO);
  }

  @Test
  void aTaskOfCountThreeRunsOnceAndReportsEachTasksExitCode() {
    runTask("nightly", 3);

    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreException(NullPointerException.class)
        .untilAsserted(
            () -> {
              Task t = task("nightly");
              assertThat(t.getStatus().tasks).hasSize(3);
              assertThat(t.getStatus().tasks)
                  .allSatisfy(
                      run -> {
                        assertThat(run.taskArn).startsWith("arn:aws:ecs:");
                        assertThat(run.lastStatus).isEqualTo("STOPPED");
                        assertThat(run.containers)
                            .singleElement()
                            .satisfies(
                                c -> {
                                  assertThat(c.name).isEqualTo("batch");
                                  assertThat(c.exitCode).isZero();
                                });
                      });
              assertThat(condition(t, "Succeeded").getStatus()).isEqualTo("True");
              assertThat(condition(t, "Running").getStatus()).isEqualTo("False");
            });

    Task t = task("nightly");
    assertThat(t.getStatus().startedBy).isEqualTo("tidewater/" + t.getMetadata().getUid());
    String clusterArn = clusterArn();
    // one RunTask: ECS knows exactly the three tasks of this startedBy, each with owner tags
    List<String> arns =
        ecs().listTasks(r -> r.cluster(clusterArn).startedBy(t.getStatus().startedBy)).taskArns();
    assertThat(arns)
        .containsExactlyInAnyOrderElementsOf(
            t.getStatus().tasks.stream().map(r -> r.taskArn).toList());
    assertThat(
            ecs()
                .describeTasks(r -> r.cluster(clusterArn).tasks(arns).include(TaskField.TAGS))
                .tasks())
        .allSatisfy(
            task ->
                assertThat(task.tags())
                    .anySatisfy(
                        tag -> {
                          assertThat(tag.key()).isEqualTo(AwsOwnership.UID_TAG);
                          assertThat(tag.value()).isEqualTo(t.getMetadata().getUid());
                        })
                    .anySatisfy(tag -> assertThat(tag.key()).isEqualTo("team")));
  }

  @Test
  void deletingARunningTaskStopsItsTasks() {
    ground.motoTaskTransitions(100_000);
    try {
      runTask("worker", 2);
      await()
          .atMost(Duration.ofSeconds(90))
          .ignoreException(NullPointerException.class)
          .untilAsserted(
              () -> {
                Task t = task("worker");
                assertThat(t.getStatus().running).isEqualTo(2);
                assertThat(condition(t, "Running").getStatus()).isEqualTo("True");
              });
      List<String> arns = task("worker").getStatus().tasks.stream().map(r -> r.taskArn).toList();

      admin.resources(Task.class).inNamespace(ns).withName("worker").delete();

      await().atMost(Duration.ofSeconds(60)).until(() -> task("worker") == null);
      String clusterArn = clusterArn();
      assertThat(ecs().describeTasks(r -> r.cluster(clusterArn).tasks(arns)).tasks())
          .hasSize(2)
          .allSatisfy(
              task -> {
                assertThat(task.lastStatus()).isEqualTo("STOPPED");
                assertThat(task.stoppedReason()).isEqualTo("Task " + ns + "/worker deleted");
              });
      assertThat(Resources.events(admin, ns, "worker", "TasksStopped")).isNotEmpty();
    } finally {
      ground.forgetMotoTaskTransitions();
    }
  }

  private String clusterArn() {
    return admin
        .resources(dev.tidewater.api.v1alpha1.cluster.Cluster.class)
        .inNamespace(ns)
        .withName("default")
        .get()
        .getStatus()
        .clusterArn;
  }
}
