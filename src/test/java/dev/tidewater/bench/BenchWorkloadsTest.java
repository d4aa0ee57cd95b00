package dev.tidewater.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

class BenchWorkloadsTest {

  private final BenchWorkloads workloads = BenchWorkloads.fromCorpus();

  @Test
  void theRotationHoldsSeveralCorpusFilesOfTwoContainersEach() {
    System.out.println(
        "benchmark rotation: "
            + workloads.rotation().stream().map(BenchWorkloads.Template::file).toList());
    for (var e : dev.tidewater.testing.EcsCorpus.withoutPlaceholders()) {
      String why = BenchWorkloads.misfit(e.spec());
      if (why != null && !why.endsWith(" container(s)")) {
        System.out.println("  not in the rotation: " + e.file() + ": " + why);
      }
    }
    assertThat(workloads.rotation()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(workloads.rotation())
        .allSatisfy(t -> assertThat(t.spec().containerDefinitions).hasSize(2));
  }

  @Test
  void noRotationSpecHoldsAnEmptyEnumValueTheCrdWouldRefuse() throws Exception {
    for (var t : workloads.rotation()) {
      String json = dev.tidewater.testing.EcsCorpus.MAPPER.writeValueAsString(t.spec());
      for (String field : dev.tidewater.testing.EcsCorpus.EMPTY_ENUM_FIELDS) {
        assertThat(json).as(t.file()).doesNotContain("\"" + field + "\":\"\"");
      }
    }
  }

  @Test
  void eachWorkloadHasItsOwnFamilyAndTheCorpusSpecOtherwise() {
    var first = workloads.taskDefinition(0);
    var again = workloads.taskDefinition(workloads.rotation().size());
    assertThat(first.getSpec().family).isEqualTo("bench-0");
    assertThat(again.getSpec().family).isEqualTo("bench-" + workloads.rotation().size());
    assertThat(again.getSpec().containerDefinitions.get(0).image)
        .isEqualTo(first.getSpec().containerDefinitions.get(0).image);
    // the rotation's spec itself is left alone
    assertThat(workloads.template(0).spec().family).isNotEqualTo("bench-0");
  }

  @Test
  void theBaselineIsTheRenderedDeploymentOfTwoContainersWithoutTheManagedByLabel() {
    Deployment d = workloads.baseline(7);
    assertThat(d.getMetadata().getName()).isEqualTo("bench-7");
    assertThat(d.getMetadata().getLabels()).doesNotContainKey("app.kubernetes.io/managed-by");
    assertThat(d.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(2);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void theServiceRunsOneTaskOfItsOwnTaskDefinition() {
    var s = workloads.service(3);
    assertThat(s.getMetadata().getName()).isEqualTo("bench-3");
    assertThat(s.getSpec().taskDefinitionRef.name).isEqualTo("bench-3");
    assertThat(s.getSpec().desiredCount).isEqualTo(1);
  }

  @Test
  void theEcsWorkloadIsAValidTwoContainerFargateTaskAndService() {
    var td =
        dev.tidewater.testing.Resources.fromYaml(
            BenchWorkloads.ecsTaskDefinition(4),
            dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition.class);
    assertThat(td.getMetadata().getName()).isEqualTo("bench-4");
    assertThat(td.getSpec().containerDefinitions).hasSize(2);
    assertThat(new dev.tidewater.model.TaskDefinitionValidator().validate(td.getSpec())).isEmpty();
    var service =
        dev.tidewater.testing.Resources.fromYaml(
            BenchWorkloads.ecsService(
                4, java.util.List.of("subnet-0a1b2c3d", "subnet-1a2b3c4d"), "sg-0a1b2c3d"),
            dev.tidewater.api.v1alpha1.service.EcsService.class);
    assertThat(service.getSpec().taskDefinitionRef.name).isEqualTo("bench-4");
    assertThat(service.getSpec().networkConfiguration.awsvpcConfiguration.subnets)
        .containsExactly("subnet-0a1b2c3d", "subnet-1a2b3c4d");
    assertThat(new dev.tidewater.model.EcsServiceValidator().validate(service.getSpec())).isEmpty();
  }

  @Test
  void eachRouteIsAValidRuleOnItsListenerForwardingToOneOfTheServices() {
    var route =
        dev.tidewater.testing.Resources.fromYaml(
            BenchWorkloads.route(7, "bench-lb", 81, 4, 5),
            dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute.class);
    assertThat(route.getMetadata().getName()).isEqualTo("bench-route-7");
    assertThat(route.getSpec().loadBalancer.name).isEqualTo("bench-lb");
    assertThat(route.getSpec().listener.port).isEqualTo(81);
    assertThat(route.getSpec().target.serviceRef.name).isEqualTo("bench-2");
    assertThat(route.getSpec().target.containerPort).isEqualTo(8080);
    assertThat(route.getSpec().rules)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.priority).isEqualTo(4);
              assertThat(r.conditions.pathPatterns).containsExactly("/bench-7/*");
            });
    assertThat(new dev.tidewater.model.LoadBalancerRouteValidator().validate(route.getSpec()))
        .isEmpty();
  }
}
