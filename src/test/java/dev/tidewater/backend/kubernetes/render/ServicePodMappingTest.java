package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.Problem;
import dev.tidewater.testing.EcsCorpus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link ServicePodMapping} as data: a Service spec and a rendered task in, the changed template,
 * warnings and refusals out; and through {@link ServiceChildren#desired}, so the workload the
 * operator and {@code render} write carries them.
 */
class ServicePodMappingTest {

  static final Map<String, String> POD_LABELS = Map.of("tidewater.dev/service", "web");

  static <T> T read(String json, Class<T> type) {
    try {
      return EcsCorpus.MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  static EcsServiceSpec service(String fields) {
    String extra = fields.isBlank() ? "" : ", " + fields;
    return read(
        "{\"taskDefinitionRef\": {\"name\": \"web\"}%s}".formatted(extra), EcsServiceSpec.class);
  }

  static TaskDefinitionSpec task(String json) {
    return read(json, TaskDefinitionSpec.class);
  }

  /** One essential container "app" with the given health check (JSON, or null). */
  static TaskDefinitionSpec withHealthCheck(String healthCheck) {
    return task(
        """
        {"networkMode": "awsvpc",
         "containerDefinitions": [{"name": "app", "image": "nginx"%s}]}
        """
            .formatted(healthCheck == null ? "" : ", \"healthCheck\": " + healthCheck));
  }

  static final TaskDefinitionSpec PLAIN = withHealthCheck(null);

  static final TaskDefinitionSpec WITH_DATA_VOLUME =
      task(
          """
          {"networkMode": "awsvpc",
           "containerDefinitions": [{"name": "app", "image": "nginx",
             "mountPoints": [{"sourceVolume": "Data_Vol", "containerPath": "/data"}]}],
           "volumes": [{"name": "cache"}, {"name": "Data_Vol", "configuredAtLaunch": true}]}
          """);

  static Result map(EcsServiceSpec service, TaskDefinitionSpec task, ClusterSpec cluster) {
    Result rendered =
        new PodTemplateRenderer()
            .render(new PodTemplateRenderer.Input(task, null, cluster, false, null));
    return ServicePodMapping.applyTo(
        rendered, new ServicePodMapping.Input(service, task, cluster, POD_LABELS));
  }

  static Result map(EcsServiceSpec service, TaskDefinitionSpec task) {
    return map(service, task, null);
  }

  static PodSpec pod(Result r) {
    return r.template().getSpec();
  }

  static Container app(Result r) {
    return pod(r).getContainers().get(0);
  }

  static List<String> reasons(Result r) {
    return r.warnings().stream().map(StatusWarning::reason).toList();
  }

  @Nested
  class GracePeriod {

    @Test
    void aGracePeriodOf300sWithoutStartPeriodBecomesAStartupProbeOf13Tries() {
      Result r =
          map(
              service("\"healthCheckGracePeriodSeconds\": 300"),
              withHealthCheck(
                  "{\"command\": [\"CMD\", \"/health\"], \"interval\": 30, \"retries\": 3,"
                      + " \"startPeriod\": 0}"));

      Probe startup = app(r).getStartupProbe();
      // ceil(300 / 30) + 3: failures are tolerated for the whole grace period, then as usual
      assertThat(startup.getFailureThreshold()).isEqualTo(13);
      assertThat(startup.getPeriodSeconds()).isEqualTo(30);
      assertThat(startup.getSuccessThreshold()).isNull(); // Kubernetes requires 1, the default
      assertThat(startup.getExec().getCommand()).containsExactly("/health");
      assertThat(app(r).getLivenessProbe().getFailureThreshold()).isEqualTo(3);
      assertThat(app(r).getReadinessProbe().getFailureThreshold()).isEqualTo(3);
      assertThat(r.warnings()).isEmpty();
    }

    @Test
    void theLongerOfStartPeriodAndGracePeriodWins() {
      TaskDefinitionSpec slowStart =
          withHealthCheck(
              "{\"command\": [\"CMD-SHELL\", \"true\"], \"interval\": 10, \"retries\": 2,"
                  + " \"startPeriod\": 120}");
      // startPeriod: ceil(120 / 10) + 2 = 14
      assertThat(
              app(map(service("\"healthCheckGracePeriodSeconds\": 60"), slowStart))
                  .getStartupProbe()
                  .getFailureThreshold())
          .isEqualTo(14);
      assertThat(
              app(map(service("\"healthCheckGracePeriodSeconds\": 301"), slowStart))
                  .getStartupProbe()
                  .getFailureThreshold())
          .isEqualTo(31 + 2);
    }

    @Test
    void noHealthCheckNoProbeAndAHugeGracePeriodStaysAnInt() {
      assertThat(
              app(map(service("\"healthCheckGracePeriodSeconds\": 300"), PLAIN)).getStartupProbe())
          .isNull();
      Result r =
          map(
              service("\"healthCheckGracePeriodSeconds\": 2147483647"),
              withHealthCheck("{\"command\": [\"CMD\", \"true\"], \"interval\": 1}"));
      assertThat(app(r).getStartupProbe().getFailureThreshold()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aNonEssentialContainerKeepsHavingNoProbes() {
      TaskDefinitionSpec task =
          task(
              """
              {"containerDefinitions": [
                {"name": "app", "image": "nginx"},
                {"name": "side", "image": "busybox", "essential": false,
                 "healthCheck": {"command": ["CMD", "true"]}}]}
              """);
      Result r = map(service("\"healthCheckGracePeriodSeconds\": 300"), task);
      assertThat(pod(r).getContainers()).allSatisfy(c -> assertThat(c.getStartupProbe()).isNull());
    }
  }

  @Nested
  class Placement {

    @Test
    void memberOfBecomesRequiredNodeAffinityAddedToTheTaskDefinitionsOwn() {
      TaskDefinitionSpec task =
          task(
              """
              {"containerDefinitions": [{"name": "app", "image": "nginx"}],
               "placementConstraints": [{"type": "memberOf",
                 "expression": "attribute:ecs.cpu-architecture == arm64"}]}
              """);
      Result r =
          map(
              service(
                  "\"placementConstraints\": [{\"type\": \"memberOf\", \"expression\":"
                      + " \"attribute:ecs.availability-zone in [eu-west-1a, eu-west-1b]\"}]"),
              task);

      var terms =
          pod(r)
              .getAffinity()
              .getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms();
      assertThat(terms).hasSize(1);
      assertThat(terms.get(0).getMatchExpressions())
          .extracting(
              NodeSelectorRequirement::getKey,
              NodeSelectorRequirement::getOperator,
              NodeSelectorRequirement::getValues)
          .containsExactly(
              tuple("kubernetes.io/arch", "In", List.of("arm64")),
              tuple("topology.kubernetes.io/zone", "In", List.of("eu-west-1a", "eu-west-1b")));
      assertThat(r.warnings()).isEmpty();
    }

    @Test
    void aMemberOfOutsideTheVocabularyWarns() {
      Result r =
          map(
              service(
                  "\"placementConstraints\": [{\"type\": \"memberOf\", \"expression\":"
                      + " \"attribute:ecs.ami-id == ami-1 or attribute:stack == prod\"}]"),
              PLAIN);
      assertThat(pod(r).getAffinity()).isNull();
      assertThat(r.warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactly(
              tuple("placementConstraints[0].expression", "PlacementConstraintNotMapped"));
    }

    @Test
    void distinctInstanceIsRequiredAntiAffinityAgainstTheServicesPods() {
      Result r =
          map(service("\"placementConstraints\": [{\"type\": \"distinctInstance\"}]"), PLAIN);
      var terms =
          pod(r)
              .getAffinity()
              .getPodAntiAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution();
      assertThat(terms).hasSize(1);
      assertThat(terms.get(0).getTopologyKey()).isEqualTo("kubernetes.io/hostname");
      assertThat(terms.get(0).getLabelSelector().getMatchLabels()).isEqualTo(POD_LABELS);
    }

    @Test
    void aDaemonNeedsNoAntiAffinity() {
      Result r =
          map(
              service(
                  "\"schedulingStrategy\": \"DAEMON\", \"placementConstraints\": [{\"type\":"
                      + " \"distinctInstance\"}]"),
              PLAIN);
      assertThat(pod(r).getAffinity()).isNull();
      assertThat(r.warnings()).isEmpty();
    }

    @Test
    void spreadByZoneAndByInstanceIsBestEffortTopologySpread() {
      Result r =
          map(
              service(
                  """
                  "placementStrategy": [
                    {"type": "spread", "field": "attribute:ecs.availability-zone"},
                    {"type": "spread", "field": "instanceId"},
                    {"type": "spread", "field": "host"},
                    {"type": "random"}]
                  """),
              PLAIN);
      assertThat(pod(r).getTopologySpreadConstraints())
          .extracting(
              TopologySpreadConstraint::getTopologyKey,
              TopologySpreadConstraint::getMaxSkew,
              TopologySpreadConstraint::getWhenUnsatisfiable)
          .containsExactly(
              tuple("topology.kubernetes.io/zone", 1, "ScheduleAnyway"),
              tuple("kubernetes.io/hostname", 1, "ScheduleAnyway"));
      assertThat(pod(r).getTopologySpreadConstraints().get(0).getLabelSelector().getMatchLabels())
          .isEqualTo(POD_LABELS);
      assertThat(r.warnings()).isEmpty();
    }

    @Test
    void spreadOnACustomAttributeUsesTheNodeLabelOfThatName() {
      assertThat(ServicePlacement.spreadKey("attribute:rack")).isEqualTo("rack");
      assertThat(ServicePlacement.spreadKey("attribute:ecs.instance-type"))
          .isEqualTo("node.kubernetes.io/instance-type");
      assertThat(ServicePlacement.spreadKey("attribute:ecs.ami-id")).isNull();
      assertThat(ServicePlacement.spreadKey("memory")).isNull();
    }

    @Test
    void binpackAndUnknownSpreadFieldsWarn() {
      Result r =
          map(
              service(
                  """
                  "placementStrategy": [
                    {"type": "binpack", "field": "memory"},
                    {"type": "spread", "field": "attribute:ecs.ami-id"}]
                  """),
              PLAIN);
      assertThat(pod(r).getTopologySpreadConstraints()).isNullOrEmpty();
      assertThat(r.warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactly(
              tuple("placementStrategy[0]", "PlacementStrategyNotMapped"),
              tuple("placementStrategy[1].field", "PlacementStrategyNotMapped"));
    }
  }

  @Nested
  class EbsVolumes {

    static final String SIZE_AND_SNAPSHOT =
        """
        "volumeConfigurations": [{"name": "Data_Vol", "managedEBSVolume": {
          "roleArn": "arn:aws:iam::123456789012:role/ecsInfrastructureRole",
          "sizeInGiB": 20, "snapshotId": "snap-0123456789abcdef0", "volumeType": "io2",
          "iops": 3000, "encrypted": true}}]
        """;

    static ClusterSpec storage(String json) {
      return read("{\"storage\": " + json + "}", ClusterSpec.class);
    }

    @Test
    void sizeAndSnapshotBecomeAnEphemeralClaimAndASnapshotWarning() {
      Result r =
          map(
              service(SIZE_AND_SNAPSHOT),
              WITH_DATA_VOLUME,
              storage(
                  "{\"ebsStorageClass\": \"gp3\", \"ebsStorageClassByVolumeType\": {\"io2\": \"ebs-io2\"}}"));

      Volume data = pod(r).getVolumes().get(1);
      assertThat(data.getName()).isEqualTo("data-vol");
      assertThat(data.getEmptyDir()).isNull();
      var claim = data.getEphemeral().getVolumeClaimTemplate().getSpec();
      assertThat(claim.getAccessModes()).containsExactly("ReadWriteOnce");
      assertThat(claim.getStorageClassName()).isEqualTo("ebs-io2");
      assertThat(claim.getResources().getRequests()).containsEntry("storage", new Quantity("20Gi"));
      assertThat(pod(r).getVolumes().get(0).getEmptyDir()).isNotNull();
      assertThat(app(r).getVolumeMounts()).anyMatch(m -> m.getName().equals("data-vol"));
      assertThat(r.refusals()).isEmpty();
      // the placeholder warning is gone; what the claim cannot carry is said field by field
      assertThat(r.warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactlyInAnyOrder(
              tuple(
                  "volumeConfigurations[0].managedEBSVolume.snapshotId",
                  "EbsVolumeSettingNotMapped"),
              tuple("volumeConfigurations[0].managedEBSVolume.iops", "EbsVolumeSettingNotMapped"),
              tuple(
                  "volumeConfigurations[0].managedEBSVolume.encrypted",
                  "EbsVolumeSettingNotMapped"));
    }

    @Test
    void aVolumeTypeWithoutItsOwnClassGetsTheDefaultAndAWarning() {
      Result r = map(service(SIZE_AND_SNAPSHOT), WITH_DATA_VOLUME, null);
      var claim = pod(r).getVolumes().get(1).getEphemeral().getVolumeClaimTemplate().getSpec();
      assertThat(claim.getStorageClassName()).isNull();
      assertThat(r.warnings())
          .extracting(StatusWarning::field)
          .contains("volumeConfigurations[0].managedEBSVolume.volumeType");
    }

    @Test
    void withoutAConfigurationThePlaceholderStays() {
      Result r = map(service(""), WITH_DATA_VOLUME);
      assertThat(pod(r).getVolumes().get(1).getEmptyDir()).isNotNull();
      assertThat(reasons(r)).containsExactly("VolumeConfiguredAtLaunch");
    }

    @Test
    void aVolumeThatIsNotConfiguredAtLaunchOrMissingIsRefusedByTheValidator() {
      EcsServiceSpec spec =
          service(
              """
              "volumeConfigurations": [
                {"name": "cache", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 1}},
                {"name": "nope", "managedEBSVolume": {"roleArn": "r", "sizeInGiB": 1}},
                {"name": "Data_Vol", "managedEBSVolume": {"roleArn": "r"}}]
              """);
      assertThat(EcsServiceValidator.withRevision(spec, WITH_DATA_VOLUME))
          .extracting(Problem::path, Problem::reason)
          .containsExactly(
              tuple("volumeConfigurations[0].name", "VolumeNotConfiguredAtLaunch"),
              tuple("volumeConfigurations[1].name", "UnknownVolume"),
              tuple("volumeConfigurations[2].managedEBSVolume.sizeInGiB", "EbsVolumeSizeMissing"));
      // the renderer leaves such entries alone: the refusal comes before rendering
      assertThat(map(spec, WITH_DATA_VOLUME).refusals()).isEmpty();
    }
  }

  @Nested
  class Warnings {

    @Test
    void fieldsWithoutCounterpartWarnWhenSetToMoreThanTheDefault() {
      Result r =
          map(
              service(
                  """
                  "capacityProviderStrategy": [
                    {"capacityProvider": "FARGATE", "weight": 1, "base": 2},
                    {"capacityProvider": "FARGATE_SPOT", "weight": 3}],
                  "loadBalancers": [{"targetGroupArn": "arn:tg", "containerName": "app",
                                     "containerPort": 80}],
                  "serviceRegistries": [{"registryArn": "arn:sd"}],
                  "serviceConnectConfiguration": {"enabled": true},
                  "vpcLatticeConfigurations": [{"roleArn": "r", "targetGroupArn": "t",
                                                "portName": "http"}],
                  "deploymentController": {"type": "CODE_DEPLOY"},
                  "deploymentConfiguration": {
                    "alarms": {"alarmNames": ["a"], "enable": true, "rollback": true},
                    "strategy": "BLUE_GREEN", "bakeTimeInMinutes": 5,
                    "lifecycleHooks": [{"hookTargetArn": "arn:l"}]}
                  """),
              PLAIN);
      assertThat(r.warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactly(
              tuple("capacityProviderStrategy", "CapacityProviderStrategyApproximated"),
              tuple("loadBalancers", "LoadBalancersNotMapped"),
              tuple("serviceRegistries", "ServiceDiscoveryNotMapped"),
              tuple("serviceConnectConfiguration", "ServiceDiscoveryNotMapped"),
              tuple("vpcLatticeConfigurations", "VpcLatticeNotMapped"),
              tuple("deploymentController.type", "DeploymentControllerNotMapped"),
              tuple("deploymentConfiguration.alarms", "DeploymentAlarmsNotMapped"),
              tuple("deploymentConfiguration.strategy", "DeploymentStrategyNotMapped"),
              tuple("deploymentConfiguration.bakeTimeInMinutes", "DeploymentStrategyNotMapped"),
              tuple("deploymentConfiguration.lifecycleHooks", "DeploymentStrategyNotMapped"));
      assertThat(r.warnings().get(0).message()).contains("FARGATE placement", "FARGATE_SPOT");
    }

    @Test
    void ecsExecWarnsThatKubectlExecIsTheWay() {
      assertThat(map(service("\"enableExecuteCommand\": true"), PLAIN).warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactly(tuple("enableExecuteCommand", "ExecuteCommandNotMapped"));
    }

    @Test
    void defaultsAndNotApplicableFieldsDoNotWarn() {
      Result r =
          map(
              service(
                  """
                  "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}],
                  "serviceConnectConfiguration": {"enabled": false},
                  "deploymentController": {"type": "ECS"},
                  "deploymentConfiguration": {
                    "alarms": {"alarmNames": ["a"], "enable": false, "rollback": false},
                    "strategy": "ROLLING", "bakeTimeInMinutes": 0},
                  "propagateTags": "SERVICE",
                  "enableECSManagedTags": true, "platformVersion": "1.4.0",
                  "availabilityZoneRebalancing": "ENABLED",
                  "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1"],
                    "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
                  "tags": [{"key": "team", "value": "a"}], "role": "ecsServiceRole"
                  """),
              PLAIN);
      assertThat(r.warnings()).isEmpty();
      assertThat(r.refusals()).isEmpty();
    }

    @Test
    void theRenderersTemplateIsNotChanged() {
      Result rendered =
          new PodTemplateRenderer()
              .render(new PodTemplateRenderer.Input(WITH_DATA_VOLUME, null, null, false, null));
      String before = new KubernetesSerialization().asJson(rendered.template());
      ServicePodMapping.applyTo(
          rendered,
          new ServicePodMapping.Input(
              service(
                  EbsVolumes.SIZE_AND_SNAPSHOT
                      + ", \"placementConstraints\": [{\"type\": \"distinctInstance\"}]"),
              WITH_DATA_VOLUME,
              null,
              POD_LABELS));
      assertThat(new KubernetesSerialization().asJson(rendered.template())).isEqualTo(before);
    }
  }

  @Nested
  class Workloads {

    static EcsService named(EcsServiceSpec spec) {
      EcsService s = new EcsService();
      s.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("team").build());
      s.setSpec(spec);
      return s;
    }

    static List<Object> objects(EcsServiceSpec spec, TaskDefinitionSpec task) {
      var desired =
          ServiceChildren.desired(
              new ServiceChildren.Inputs(
                  named(spec),
                  new ClusterSpec(),
                  new ServicePlan(1, task, "web", null),
                  false,
                  null,
                  null));
      assertThat(desired.allRefusals()).isEmpty();
      return new ArrayList<>(desired.objects());
    }

    @Test
    void aDaemonWithMemberOfRunsOnlyOnTheNodesItNames() {
      List<Object> objects =
          objects(
              service(
                  "\"schedulingStrategy\": \"DAEMON\", \"placementConstraints\": [{\"type\":"
                      + " \"memberOf\", \"expression\": \"attribute:role == ingress\"}]"),
              PLAIN);
      DaemonSet ds = (DaemonSet) objects.get(0);
      assertThat(
              ds.getSpec()
                  .getTemplate()
                  .getSpec()
                  .getAffinity()
                  .getNodeAffinity()
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .getNodeSelectorTerms()
                  .get(0)
                  .getMatchExpressions())
          .extracting(NodeSelectorRequirement::getKey, NodeSelectorRequirement::getValues)
          .containsExactly(tuple("role", List.of("ingress")));
    }

    @Test
    void theDeploymentsAntiAffinitySelectsWhatItsSelectorSelects() {
      Deployment d =
          (Deployment)
              objects(
                      service(
                          "\"placementConstraints\": [{\"type\": \"distinctInstance\"}],"
                              + " \"healthCheckGracePeriodSeconds\": 120"),
                      withHealthCheck("{\"command\": [\"CMD\", \"true\"]}"))
                  .get(0);
      PodTemplateSpec t = d.getSpec().getTemplate();
      assertThat(
              t.getSpec()
                  .getAffinity()
                  .getPodAntiAffinity()
                  .getRequiredDuringSchedulingIgnoredDuringExecution()
                  .get(0)
                  .getLabelSelector()
                  .getMatchLabels())
          .isEqualTo(d.getSpec().getSelector().getMatchLabels());
      // ceil(120 / 30) + 3
      assertThat(t.getSpec().getContainers().get(0).getStartupProbe().getFailureThreshold())
          .isEqualTo(7);
    }
  }
}
