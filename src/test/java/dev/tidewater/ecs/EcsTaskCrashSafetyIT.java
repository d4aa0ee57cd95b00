package dev.tidewater.ecs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.AwsVpcConfiguration;
import dev.tidewater.api.v1alpha1.service.NetworkConfiguration;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.task.TaskSpec;
import dev.tidewater.aws.AwsCallCounter;
import dev.tidewater.aws.AwsClientFactory;
import dev.tidewater.aws.AwsContext;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.ecs.EcsTaskBackend;
import dev.tidewater.backend.ecs.EcsTaskRequests;
import dev.tidewater.testing.CrashAfterNthCall;
import dev.tidewater.testing.TestGround;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/**
 * Crash safety of a Task on the ecs backend: a crash after any AWS call of the start path (the
 * ListTasks that look for tasks already started, RunTask itself) followed by a fresh reconcile
 * whose Task has no status (it was never written) starts the tasks exactly once, found again by
 * their startedBy and owner uid tag. The backend signs as the operator (deploy/iam-policy.json).
 */
class EcsTaskCrashSafetyIT {

  private static final TestGround ground = TestGround.get();
  private static final AwsContext MOTO = ground.motoContext();
  private static final AwsContext OPERATOR = ground.operatorAwsContext();
  private static final AwsClientFactory aws =
      new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter());
  private static String clusterArn;
  private static String taskDefinitionArn;
  private static String prefix;
  private static String subnet;
  private static String securityGroup;

  @BeforeAll
  static void clusterRevisionAndNetwork() {
    prefix = "taskcrash-" + UUID.randomUUID().toString().substring(0, 6);
    // tasks keep running while the test looks: the count of tasks is what is checked
    ground.motoTaskTransitions(100_000);
    EcsClient ecs = aws.ecs(MOTO);
    clusterArn = ecs.createCluster(r -> r.clusterName(prefix)).cluster().clusterArn();
    taskDefinitionArn =
        ecs.registerTaskDefinition(
                r ->
                    r.family(prefix)
                        .requiresCompatibilitiesWithStrings("FARGATE")
                        .networkMode("awsvpc")
                        .cpu("256")
                        .memory("512")
                        // moto's RunTask needs a container memory (AWS: the task's is enough)
                        .containerDefinitions(
                            c -> c.name("batch").image("registry.example/b:1").memory(512)))
            .taskDefinition()
            .taskDefinitionArn();
    Ec2Client ec2 = aws.ec2(MOTO);
    String vpc = ec2.createVpc(r -> r.cidrBlock("10.2.0.0/16")).vpc().vpcId();
    // moto 5.2.5 describes an awsvpc task's ENI by its private DNS name, which it gives only in a
    // VPC with DNS host names (RunTask fails with a 500 otherwise)
    ec2.modifyVpcAttribute(r -> r.vpcId(vpc).enableDnsHostnames(b -> b.value(true)));
    subnet =
        ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock("10.2.1.0/24").availabilityZone("us-east-1a"))
            .subnet()
            .subnetId();
    securityGroup =
        ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(prefix).description("t")).groupId();
  }

  @AfterAll
  static void paceAgain() {
    ground.forgetMotoTaskTransitions();
    aws.close();
  }

  private static Task task(String name) {
    Task t = new Task();
    t.setMetadata(
        new ObjectMetaBuilder()
            .withNamespace(prefix)
            .withName(name)
            .withUid(UUID.randomUUID().toString())
            .withGeneration(1L)
            .build());
    TaskSpec spec = new TaskSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "batch";
    spec.count = 3;
    spec.launchType = "FARGATE";
    spec.networkConfiguration = new NetworkConfiguration();
    spec.networkConfiguration.awsvpcConfiguration = new AwsVpcConfiguration();
    spec.networkConfiguration.awsvpcConfiguration.subnets = List.of(subnet);
    spec.networkConfiguration.awsvpcConfiguration.securityGroups = List.of(securityGroup);
    t.setSpec(spec);
    return t;
  }

  private static TaskBackend.Plan plan() {
    return new TaskBackend.Plan(1, null, "batch", null, taskDefinitionArn);
  }

  private static TaskBackend.Observation run(Task task, AwsClientFactory factory) {
    return new EcsTaskBackend(factory, null, null).run(task, plan(), OPERATOR, clusterArn);
  }

  /**
   * The tasks ECS has of this Task's startedBy (they keep running here). startedBy is ListTasks'
   * only filter when given: ECS refuses it with desiredStatus, and so does the strict layer.
   */
  private static List<String> started(Task task) {
    return aws.ecs(MOTO)
        .listTasks(r -> r.cluster(clusterArn).startedBy(EcsTaskRequests.startedBy(task)))
        .taskArns();
  }

  @Test
  void aCrashAfterAnyCallOfTheStartPathStartsNothingTwice() {
    List<String> path =
        CrashAfterNthCall.everyCallOf(
            n -> task("nightly-" + n),
            (t, f) -> run(t, f),
            (t, f) -> {
              // the restarted operator: the Task's status was never written
              TaskBackend.Observation seen = run(t, f);
              assertThat(seen.tasks()).as("tasks reported after the crash").hasSize(3);
              assertThat(seen.tasks().stream().map(r -> r.taskArn))
                  .containsExactlyInAnyOrderElementsOf(started(t));
            },
            (t, calls) -> {
              assertThat(Collections.frequency(calls, "Ecs:RunTask"))
                  .as("RunTask calls")
                  .isEqualTo(1);
              assertThat(started(t)).as("tasks ECS has of this Task").hasSize(3);
            });
    // ListTasks by startedBy, ListTasks of the family's stopped tasks, the revision to run (its
    // network mode and essential containers), RunTask
    assertThat(path)
        .containsExactly(
            "Ecs:ListTasks", "Ecs:ListTasks", "Ecs:DescribeTaskDefinition", "Ecs:RunTask");
  }

  @Test
  void aTaskWhoseStatusWasLostIsFoundAgainAndNotStartedTwice() {
    Task t = task("lost-status");
    try (AwsClientFactory f = new AwsClientFactory(CrashAfterNthCall.FAST, new AwsCallCounter())) {
      TaskBackend.Observation first = run(t, f);
      assertThat(first.tasks()).hasSize(3);
      // a second reconcile with the status lost (the status write failed) finds the same tasks
      TaskBackend.Observation again = run(t, f);
      assertThat(again.tasks().stream().map(r -> r.taskArn))
          .containsExactlyInAnyOrderElementsOf(first.tasks().stream().map(r -> r.taskArn).toList());
    }
    assertThat(started(t)).hasSize(3);
  }
}
