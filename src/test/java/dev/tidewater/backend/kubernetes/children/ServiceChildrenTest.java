package dev.tidewater.backend.kubernetes.children;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.service.Autoscaling;
import dev.tidewater.api.v1alpha1.service.DeploymentConfiguration;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.EcsServiceValidator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Service's objects as data: cooldowns, bounds, DAEMON defaults, unmeasurable targets. */
class ServiceChildrenTest {

  private static EcsService service(EcsServiceSpec spec) {
    EcsService s = new EcsService();
    s.getMetadata().setName("web");
    s.getMetadata().setNamespace("team-a");
    s.getMetadata().setUid("uid-1");
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = "web";
    s.setSpec(spec);
    return s;
  }

  private static TaskDefinitionSpec task(String taskCpu, Integer containerCpu) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    t.family = "web";
    t.cpu = taskCpu;
    ContainerDefinition c = new ContainerDefinition();
    c.name = "web";
    c.image = "nginx";
    c.cpu = containerCpu;
    c.memory = 256;
    t.containerDefinitions = List.of(c);
    return CanonicalTaskDefinition.of(t).spec();
  }

  private static ServiceChildren.Desired desired(EcsService service, TaskDefinitionSpec task) {
    return ServiceChildren.desired(
        new ServiceChildren.Inputs(
            service, null, new ServicePlan(1, task, "web", null), true, null, null));
  }

  private static Autoscaling autoscaling(Integer out, Integer in) {
    Autoscaling a = new Autoscaling();
    a.minTasks = 2;
    a.maxTasks = 10;
    a.targetCpuUtilization = 50;
    a.scaleOutCooldownSeconds = out;
    a.scaleInCooldownSeconds = in;
    return a;
  }

  private static void assertSpaced(HPAScalingRules up, int period) {
    assertThat(up.getStabilizationWindowSeconds()).isZero();
    assertThat(up.getSelectPolicy()).isEqualTo("Max");
    assertThat(up.getPolicies())
        .extracting(
            HPAScalingPolicy::getType,
            HPAScalingPolicy::getValue,
            HPAScalingPolicy::getPeriodSeconds)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Percent", 100, period),
            org.assertj.core.groups.Tuple.tuple("Pods", 4, period));
  }

  @Test
  void cooldownsSpaceScaleOutsInsteadOfDelayingTheFirst() {
    int[][] table = {
      // scale-out cooldown, policy period; scale-in cooldown, stabilization window
      {0, 15, 0, 0},
      {10, 15, 10, 10},
      {120, 120, 600, 600},
      {300, 300, 300, 300},
      {1800, 1800, 3600, 3600},
      {86400, 1800, 86400, 3600},
    };
    for (int[] row : table) {
      EcsServiceSpec spec = new EcsServiceSpec();
      spec.autoscaling = autoscaling(row[0], row[2]);
      var hpa = ServiceAutoscaler.desired(service(spec)).orElseThrow();
      assertSpaced(hpa.getSpec().getBehavior().getScaleUp(), row[1]);
      assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds())
          .isEqualTo(row[3]);
    }
  }

  @Test
  void unsetCooldownsAreEcsDefaultOf300Seconds() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.autoscaling = autoscaling(null, null);
    var behavior = ServiceAutoscaler.desired(service(spec)).orElseThrow().getSpec().getBehavior();
    assertSpaced(behavior.getScaleUp(), 300);
    assertThat(behavior.getScaleDown().getStabilizationWindowSeconds()).isEqualTo(300);
  }

  @Test
  void aFixedCountDeploymentGetsAbsoluteBounds() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.desiredCount = 3;
    spec.deploymentConfiguration = new DeploymentConfiguration();
    spec.deploymentConfiguration.minimumHealthyPercent = 50;
    spec.deploymentConfiguration.maximumPercent = 150;
    var d = desired(service(spec), task(null, 256));
    var rolling = ((Deployment) d.workload()).getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxSurge()).isEqualTo(new IntOrString(1));
    assertThat(rolling.getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(d.disruptionBudget().getSpec().getMinAvailable()).isEqualTo(new IntOrString("50%"));
    assertThat(d.disruptionBudget().getSpec().getMaxUnavailable()).isNull();
  }

  @Test
  void aDaemonTakesEcsDaemonDefaultsAndNoBudget() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.schedulingStrategy = "DAEMON";
    var d = desired(service(spec), task(null, 256));
    assertThat(((DaemonSet) d.workload()).getSpec().getUpdateStrategy().getRollingUpdate())
        .satisfies(r -> assertThat(r.getMaxUnavailable()).isEqualTo(new IntOrString("100%")));
    assertThat(d.disruptionBudget()).isNull();
    assertThat(d.autoscaler()).isNull();
  }

  @Test
  void aCpuTargetWithoutCpuRequestsIsRefusedNamingTheField() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.autoscaling = autoscaling(null, null);
    var refused = desired(service(spec), task(null, null));
    assertThat(refused.objects()).isEmpty();
    assertThat(refused.serviceRefusals())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("autoscaling.targetCpuUtilization");
              assertThat(p.reason()).isEqualTo(EcsServiceValidator.UTILIZATION_WITHOUT_REQUEST);
              assertThat(p.message()).contains("\"web\"");
            });
    assertThat(desired(service(spec), task("256", null)).serviceRefusals()).isEmpty();
    assertThat(desired(service(spec), task(null, 128)).serviceRefusals()).isEmpty();
  }

  @Test
  void aMemoryTargetNeedsMemoryRequests() {
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.autoscaling = autoscaling(null, null);
    spec.autoscaling.targetCpuUtilization = null;
    spec.autoscaling.targetMemoryUtilization = 70;
    TaskDefinitionSpec t = task(null, null);
    assertThat(EcsServiceValidator.withRevision(spec, t)).isEmpty(); // memory 256
    t.containerDefinitions.get(0).memory = null;
    t.containerDefinitions.get(0).memoryReservation = null;
    assertThat(EcsServiceValidator.withRevision(spec, t))
        .singleElement()
        .satisfies(p -> assertThat(p.path()).isEqualTo("autoscaling.targetMemoryUtilization"));
    t.memory = "512";
    assertThat(EcsServiceValidator.withRevision(spec, t)).isEmpty();
  }
}
