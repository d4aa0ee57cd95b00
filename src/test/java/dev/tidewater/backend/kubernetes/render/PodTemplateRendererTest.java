package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.ExternalSecretEntry;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.model.Problem;
import dev.tidewater.testing.EcsCorpus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Focused cases for every mapping of {@link PodTemplateRenderer}: small task definitions as JSON,
 * the exact Kubernetes fields, warnings and refusals they must produce.
 */
class PodTemplateRendererTest {

  // ------------------------------------------------------------------ helpers

  /** A task from JSON (the fields of a TaskDefinition spec). */
  static TaskDefinitionSpec task(String json) {
    try {
      return EcsCorpus.MAPPER.readValue(json, TaskDefinitionSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(json, e);
    }
  }

  /** A task of one container "app" (image nginx) with the given extra container fields. */
  static TaskDefinitionSpec one(String containerFields) {
    String extra = containerFields.isBlank() ? "" : ", " + containerFields;
    return task(
        """
        {"networkMode": "awsvpc",
         "containerDefinitions": [{"name": "app", "image": "nginx"%s}]}
        """
            .formatted(extra));
  }

  static Result render(TaskDefinitionSpec spec) {
    return new PodTemplateRenderer().render(new Input(spec, null, null, false, null));
  }

  static Result render(TaskDefinitionSpec spec, ClusterSpec cluster) {
    return new PodTemplateRenderer().render(new Input(spec, null, cluster, false, null));
  }

  static ClusterSpec allowing(boolean privileged, boolean hostNetwork, boolean hostPath) {
    ClusterSpec c = new ClusterSpec();
    c.guardrails = new Guardrails();
    c.guardrails.allowPrivileged = privileged;
    c.guardrails.allowHostNetwork = hostNetwork;
    c.guardrails.allowHostPath = hostPath;
    return c;
  }

  static PodSpec pod(Result r) {
    return r.template().getSpec();
  }

  static Container app(Result r) {
    return container(r, "app");
  }

  static Container container(Result r, String name) {
    List<Container> all = new ArrayList<>(pod(r).getInitContainers());
    all.addAll(pod(r).getContainers());
    return all.stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name + " in " + all));
  }

  static List<String> reasons(Result r) {
    return r.warnings().stream().map(StatusWarning::reason).toList();
  }

  static StatusWarning warning(Result r, String reason) {
    return r.warnings().stream()
        .filter(w -> w.reason().equals(reason))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no warning " + reason + " in " + r.warnings()));
  }

  static Map<String, String> amounts(Map<String, Quantity> q) {
    return q == null
        ? Map.of()
        : q.entrySet().stream()
            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
  }

  static Map<String, String> requests(Container c) {
    return c.getResources() == null ? Map.of() : amounts(c.getResources().getRequests());
  }

  static Map<String, String> limits(Container c) {
    return c.getResources() == null ? Map.of() : amounts(c.getResources().getLimits());
  }

  // ------------------------------------------------------------------ baseline

  @Test
  void minimalTaskRendersOneContainerAndNoWarnings() {
    Result r = render(one(""));
    assertThat(r.warnings()).isEmpty();
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getContainers())
        .extracting(Container::getName, Container::getImage)
        .containsExactly(tuple("app", "nginx"));
    assertThat(pod(r).getInitContainers()).isEmpty();
    assertThat(pod(r).getTerminationGracePeriodSeconds()).isEqualTo(30L);
    assertThat(pod(r).getEnableServiceLinks()).isFalse();
    assertThat(pod(r).getHostNetwork()).isNull();
    assertThat(r.template().getMetadata()).isNull();
  }

  @Test
  void renderingIsDeterministic() {
    TaskDefinitionSpec spec =
        one(
            """
            "cpu": 256, "memory": 512, "dockerLabels": {"b": "2", "a": "1"},
            "environment": [{"name": "X", "value": "$(y)"}]""");
    assertThat(render(spec)).isEqualTo(render(spec));
  }

  @Test
  void serviceAccountComesFromTheInput() {
    Result r = new PodTemplateRenderer().render(new Input(one(""), null, null, false, "web-sa"));
    assertThat(pod(r).getServiceAccountName()).isEqualTo("web-sa");
  }

  @Test
  void containerNamesBecomeDnsLabels() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "log_router", "image": "fluent-bit"},
                  {"name": "App", "image": "nginx"}]}"""));
    assertThat(pod(r).getContainers())
        .extracting(Container::getName)
        .containsExactly("log-router", "app");
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[0].name", "ContainerNameSanitized"),
            tuple("containerDefinitions[1].name", "ContainerNameSanitized"));
  }

  // ------------------------------------------------------------------ resources

  @ParameterizedTest(name = "cpu {0} units -> {1}")
  @CsvSource({"256,250m", "1024,1", "2048,2", "100,98m", "1,1m", "512,500m", "10,10m"})
  void containerCpuUnitsBecomeMillicoreRequests(int units, String quantity) {
    Container c = app(render(one("\"cpu\": " + units)));
    assertThat(requests(c)).containsExactly(Map.entry("cpu", quantity));
    assertThat(limits(c)).doesNotContainKey("cpu");
  }

  @Test
  void cpuZeroRequestsNoCpu() {
    assertThat(app(render(one("\"cpu\": 0"))).getResources()).isNull();
  }

  @ParameterizedTest(name = "memory {0} / reservation {1} -> request {2}, limit {3}")
  @CsvSource(
      nullValues = "-",
      value = {"256,128,128Mi,256Mi", "512,-,512Mi,512Mi", "-,300,300Mi,-", "1024,-,1Gi,1Gi"})
  void memoryAndReservation(String memory, String reservation, String request, String limit) {
    List<String> fields = new ArrayList<>();
    if (memory != null) {
      fields.add("\"memory\": " + memory);
    }
    if (reservation != null) {
      fields.add("\"memoryReservation\": " + reservation);
    }
    Container c = app(render(one(String.join(", ", fields))));
    assertThat(requests(c)).containsExactly(Map.entry("memory", request));
    if (limit == null) {
      assertThat(limits(c)).isEmpty();
    } else {
      assertThat(limits(c)).containsExactly(Map.entry("memory", limit));
    }
  }

  @Test
  void taskResourcesBecomePodLevelResourcesWhenSupported() {
    TaskDefinitionSpec spec =
        task(
            """
            {"cpu": "1 vCPU", "memory": "2048",
             "containerDefinitions": [{"name": "app", "image": "nginx", "cpu": 256}]}""");
    Result r = new PodTemplateRenderer().render(new Input(spec, "FARGATE", null, true, null));
    assertThat(amounts(pod(r).getResources().getRequests()))
        .isEqualTo(Map.of("cpu", "1", "memory", "2Gi"));
    assertThat(amounts(pod(r).getResources().getLimits()))
        .isEqualTo(Map.of("cpu", "1", "memory", "2Gi"));
    assertThat(requests(app(r))).isEqualTo(Map.of("cpu", "250m"));
    assertThat(limits(app(r))).isEmpty();
    assertThat(reasons(r)).doesNotContain("TaskResourcesSplit");
  }

  @Test
  void taskResourcesAreSplitEvenlyOverContainersWithoutTheirOwn() {
    Result r =
        render(
            task(
                """
                {"cpu": "1024", "memory": "2048", "containerDefinitions": [
                  {"name": "a", "image": "x", "cpu": 256, "memory": 512},
                  {"name": "b", "image": "x"},
                  {"name": "c", "image": "x"}]}"""));
    // (1024 - 256) / 2 = 384 units = ceil(384000 / 1024) = 375m; (2048 - 512) / 2 = 768 MiB.
    assertThat(requests(container(r, "a"))).isEqualTo(Map.of("cpu", "250m", "memory", "512Mi"));
    assertThat(limits(container(r, "a"))).isEqualTo(Map.of("cpu", "1", "memory", "512Mi"));
    for (String name : List.of("b", "c")) {
      assertThat(requests(container(r, name))).isEqualTo(Map.of("cpu", "375m", "memory", "768Mi"));
      assertThat(limits(container(r, name))).isEqualTo(Map.of("cpu", "1", "memory", "2Gi"));
    }
    assertThat(pod(r).getResources()).isNull();
    assertThat(r.warnings())
        .filteredOn(w -> w.reason().equals("TaskResourcesSplit"))
        .extracting(StatusWarning::field)
        .containsExactly("cpu", "memory");
  }

  @Test
  void splitRemainderGoesToTheFirstContainers() {
    Result r =
        render(
            task(
                """
                {"cpu": "256", "memory": "512", "containerDefinitions": [
                  {"name": "a", "image": "x"}, {"name": "b", "image": "x"},
                  {"name": "c", "image": "x"}]}"""));
    // 250m / 3 = 83.3m: 84m, 83m, 83m (largest remainder, ties to the first, the sum 250m);
    // 512 / 3 = 170.7 MiB: 171, 171, 170 MiB.
    assertThat(requests(container(r, "a"))).isEqualTo(Map.of("cpu", "84m", "memory", "171Mi"));
    assertThat(requests(container(r, "b"))).isEqualTo(Map.of("cpu", "83m", "memory", "171Mi"));
    assertThat(requests(container(r, "c"))).isEqualTo(Map.of("cpu", "83m", "memory", "170Mi"));
  }

  @Test
  void initContainersMayUseTheWholeTaskAmount() {
    Result r =
        render(
            task(
                """
                {"cpu": "2048", "memory": "4096", "containerDefinitions": [
                  {"name": "init", "image": "x", "essential": false},
                  {"name": "app", "image": "x",
                   "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}]}]}"""));
    assertThat(requests(container(r, "init"))).isEqualTo(Map.of("cpu", "2", "memory", "4Gi"));
    assertThat(requests(app(r))).isEqualTo(Map.of("cpu", "2", "memory", "4Gi"));
  }

  @Test
  void unparsableTaskCpuIsRefused() {
    Result r =
        render(
            task(
                "{\"cpu\": \"lots\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}"));
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("cpu", "InvalidTaskCpu"));
  }

  @Test
  void ephemeralStorageIsSharedOutAndCapped() {
    Result r =
        render(
            task(
                """
                {"ephemeralStorage": {"sizeInGiB": 30}, "containerDefinitions": [
                  {"name": "a", "image": "x"}, {"name": "b", "image": "x"}]}"""));
    assertThat(requests(container(r, "a"))).containsEntry("ephemeral-storage", "15Gi");
    assertThat(limits(container(r, "b"))).containsEntry("ephemeral-storage", "30Gi");
    assertThat(warning(r, "EphemeralStorageSplit").field()).isEqualTo("ephemeralStorage");
  }

  @Test
  void gpusBecomeNvidiaGpuRequestsAndLimitsAndGpuPlacement() {
    ClusterSpec cluster = PodTemplateRendererCorpusTest.permissiveCluster();
    Result r =
        render(one("\"resourceRequirements\": [{\"type\": \"GPU\", \"value\": \"2\"}]"), cluster);
    assertThat(requests(app(r))).containsEntry("nvidia.com/gpu", "2");
    assertThat(limits(app(r))).containsEntry("nvidia.com/gpu", "2");
    assertThat(pod(r).getNodeSelector())
        .containsEntry("tidewater.dev/accelerator", "nvidia")
        .containsEntry("tidewater.dev/capacity", "ec2");
    assertThat(pod(r).getTolerations()).extracting(Toleration::getKey).contains("nvidia.com/gpu");
  }

  @Test
  void inferenceAcceleratorsAndBadGpuCounts() {
    Result r =
        render(
            one(
                """
                "resourceRequirements": [{"type": "InferenceAccelerator", "value": "dev1"},
                                         {"type": "GPU", "value": "two"}]"""));
    assertThat(warning(r, "InferenceAcceleratorNotMapped").field())
        .isEqualTo("containerDefinitions[0].resourceRequirements[0]");
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].resourceRequirements[1].value", "InvalidGpuCount"));
  }

  // ------------------------------------------------------------------ essential and dependsOn

  @Test
  void nonEssentialLongRunningContainerIsRestartedWithWarning() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [{"name": "app", "image": "x"},
                  {"name": "helper", "image": "x", "essential": false}]}"""));
    assertThat(pod(r).getContainers())
        .extracting(Container::getName)
        .containsExactly("app", "helper");
    assertThat(warning(r, "NonEssentialRestarted").field())
        .isEqualTo("containerDefinitions[1].essential");
  }

  @Test
  void dependenciesBecomeOrderedInitContainersAndSidecars() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "app", "image": "x", "dependsOn": [
                    {"containerName": "envoy", "condition": "HEALTHY"},
                    {"containerName": "migrate", "condition": "SUCCESS"},
                    {"containerName": "logs", "condition": "START"}]},
                  {"name": "envoy", "image": "x",
                   "healthCheck": {"command": ["CMD", "/ready"], "interval": 5},
                   "dependsOn": [{"containerName": "logs", "condition": "START"}]},
                  {"name": "migrate", "image": "x", "essential": false},
                  {"name": "logs", "image": "x"}]}"""));
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getInitContainers())
        .extracting(Container::getName, Container::getRestartPolicy)
        .containsExactly(tuple("migrate", null), tuple("logs", "Always"), tuple("envoy", "Always"));
    assertThat(pod(r).getContainers()).extracting(Container::getName).containsExactly("app");
    Container envoy = container(r, "envoy");
    assertThat(envoy.getStartupProbe().getExec().getCommand()).containsExactly("/ready");
    assertThat(envoy.getStartupProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(container(r, "logs").getStartupProbe()).isNull();
    // The run-to-completion init container gets no restart warning: it stops, as on ECS.
    assertThat(reasons(r)).doesNotContain("NonEssentialRestarted");
  }

  @Test
  void initContainerOrderFollowsDependenciesAmongThemselves() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "app", "image": "x",
                   "dependsOn": [{"containerName": "second", "condition": "SUCCESS"}]},
                  {"name": "second", "image": "x", "essential": false,
                   "dependsOn": [{"containerName": "first", "condition": "SUCCESS"}]},
                  {"name": "first", "image": "x", "essential": false}]}"""));
    assertThat(pod(r).getInitContainers())
        .extracting(Container::getName)
        .containsExactly("first", "second");
  }

  @Test
  void dependsOnCompleteIsAnInitContainerWithWarning() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "app", "image": "x",
                   "dependsOn": [{"containerName": "job", "condition": "COMPLETE"}]},
                  {"name": "job", "image": "x", "essential": false}]}"""));
    assertThat(pod(r).getInitContainers())
        .extracting(Container::getName, Container::getRestartPolicy)
        .containsExactly(tuple("job", null));
    assertThat(warning(r, "DependsOnCompleteApproximated").field())
        .isEqualTo("containerDefinitions[0].dependsOn[0].condition");
  }

  @Test
  void dependsOnHealthyWithoutHealthCheckWarns() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "app", "image": "x",
                   "dependsOn": [{"containerName": "db", "condition": "HEALTHY"}]},
                  {"name": "db", "image": "x"}]}"""));
    assertThat(container(r, "db").getRestartPolicy()).isEqualTo("Always");
    assertThat(warning(r, "DependsOnHealthyWithoutHealthCheck").field())
        .isEqualTo("containerDefinitions[0].dependsOn[0].condition");
  }

  @Test
  @Timeout(5)
  void dependencyCyclesAreRefusedNotLoopedOver() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "a", "image": "x", "dependsOn": [{"containerName": "b", "condition": "START"}]},
                  {"name": "b", "image": "x", "dependsOn": [{"containerName": "a", "condition": "START"}]},
                  {"name": "c", "image": "x"}]}"""));
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("containerDefinitions[0].dependsOn", "DependencyCycle"));
    assertThat(r.refusals().get(0).message()).contains("\"a\"", "\"b\"");
    assertThat(pod(r).getInitContainers().size() + pod(r).getContainers().size()).isEqualTo(3);
  }

  @Test
  void unknownDependencyIsRefused() {
    Result r =
        render(one("\"dependsOn\": [{\"containerName\": \"ghost\", \"condition\": \"START\"}]"));
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].dependsOn[0].containerName", "UnknownDependency"));
  }

  // ------------------------------------------------------------------ health checks

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "[\"CMD\", \"curl\", \"-f\", \"http://localhost/\"]; curl,-f,http://localhost/",
        "[\"CMD-SHELL\", \"curl -f http://localhost/ || exit 1\"]; /bin/sh,-c,curl -f http://localhost/ || exit 1",
        "[\"cmd-shell\", \"test -f /ok\"]; /bin/sh,-c,test -f /ok"
      })
  void healthCheckCommandsBecomeExecProbes(String command, String expected) {
    Container c = app(render(one("\"healthCheck\": {\"command\": " + command + "}")));
    List<String> exec = List.of(expected.split(","));
    assertThat(c.getReadinessProbe().getExec().getCommand()).isEqualTo(exec);
    assertThat(c.getLivenessProbe().getExec().getCommand()).isEqualTo(exec);
  }

  @Test
  void healthCheckTimingsMapAndDefaultsAreEcsDefaults() {
    Container c =
        app(
            render(
                one(
                    """
                    "healthCheck": {"command": ["CMD", "true"], "interval": 10, "timeout": 3,
                                    "retries": 4}""")));
    assertProbe(c.getReadinessProbe(), 10, 3, 4);
    assertProbe(c.getLivenessProbe(), 10, 3, 4);
    assertThat(c.getStartupProbe()).isNull();

    Container defaults = app(render(one("\"healthCheck\": {\"command\": [\"CMD\", \"true\"]}")));
    assertProbe(defaults.getReadinessProbe(), 30, 5, 3);
  }

  @Test
  void startPeriodBecomesAStartupProbe() {
    Container c =
        app(
            render(
                one(
                    """
                    "healthCheck": {"command": ["CMD", "true"], "interval": 10, "timeout": 2,
                                    "retries": 3, "startPeriod": 55}""")));
    // ceil(55 / 10) + 3 = 9 failures before giving up.
    assertProbe(c.getStartupProbe(), 10, 2, 9);
    assertThat(c.getReadinessProbe().getInitialDelaySeconds()).isNull();
  }

  @Test
  void healthCheckNoneMeansNoProbe() {
    Container c = app(render(one("\"healthCheck\": {\"command\": [\"NONE\"]}")));
    assertThat(c.getReadinessProbe()).isNull();
    assertThat(c.getLivenessProbe()).isNull();
    assertThat(c.getStartupProbe()).isNull();
  }

  @Test
  void windowsShellIsCmd() {
    TaskDefinitionSpec spec =
        task(
            """
            {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
             "containerDefinitions": [{"name": "app", "image": "iis",
               "healthCheck": {"command": ["CMD-SHELL", "exit 0"]}}]}""");
    assertThat(app(render(spec)).getLivenessProbe().getExec().getCommand())
        .containsExactly("cmd", "/S", "/C", "exit 0");
  }

  @Test
  void nonEssentialHealthChecksAreIgnoredWithWarning() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [{"name": "app", "image": "x"},
                  {"name": "side", "image": "x", "essential": false,
                   "healthCheck": {"command": ["CMD", "true"]}}]}"""));
    assertThat(container(r, "side").getReadinessProbe()).isNull();
    assertThat(container(r, "side").getLivenessProbe()).isNull();
    assertThat(warning(r, "NonEssentialHealthCheckIgnored").field())
        .isEqualTo("containerDefinitions[1].healthCheck");
  }

  static void assertProbe(Probe p, int period, int timeout, int failures) {
    assertThat(p.getPeriodSeconds()).isEqualTo(period);
    assertThat(p.getTimeoutSeconds()).isEqualTo(timeout);
    assertThat(p.getFailureThreshold()).isEqualTo(failures);
  }

  // ------------------------------------------------------------------ ports and networking

  @Test
  void awsvpcPortsAreContainerPortsOnly() {
    Result r =
        render(
            one(
                """
                "portMappings": [{"containerPort": 80, "hostPort": 80, "name": "http"},
                                 {"containerPort": 53, "protocol": "udp"}]"""));
    assertThat(app(r).getPorts())
        .extracting(
            ContainerPort::getContainerPort,
            ContainerPort::getHostPort,
            ContainerPort::getProtocol,
            ContainerPort::getName)
        .containsExactly(tuple(80, null, "TCP", "http"), tuple(53, null, "UDP", null));
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void bridgeDynamicPortsStayContainerPortsAndFixedOnesArePinned() {
    Result r =
        render(
            task(
                """
                {"networkMode": "bridge", "containerDefinitions": [{"name": "app", "image": "x",
                  "portMappings": [{"containerPort": 80}, {"containerPort": 81, "hostPort": 0},
                                   {"containerPort": 82, "hostPort": 8082}]}]}"""));
    assertThat(app(r).getPorts())
        .extracting(ContainerPort::getContainerPort, ContainerPort::getHostPort)
        .containsExactly(tuple(80, null), tuple(81, null), tuple(82, 8082));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[0].portMappings[2].hostPort", "HostPortPinned"));
  }

  @Test
  void portRangesAndBadPortNamesWarn() {
    Result r =
        render(
            one(
                """
                "portMappings": [{"containerPortRange": "8000-8010"},
                                 {"containerPort": 80, "name": "web_http"}]"""));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].portMappings[0].containerPortRange", "PortRangeNotMapped"),
            tuple("containerDefinitions[0].portMappings[1].name", "PortNameNotMapped"));
    assertThat(app(r).getPorts()).extracting(ContainerPort::getName).containsExactly((String) null);
  }

  @Test
  void hostNetworkIsRefusedUnlessAllowed() {
    TaskDefinitionSpec spec =
        task(
            "{\"networkMode\": \"host\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}");
    Result strict = render(spec);
    assertThat(strict.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("networkMode", "HostNetworkNotAllowed"));
    Result allowed = render(spec, allowing(false, true, false));
    assertThat(allowed.refusals()).isEmpty();
    assertThat(pod(allowed).getHostNetwork()).isTrue();
  }

  @Test
  void networkModeNoneWarns() {
    Result r =
        render(
            task(
                "{\"networkMode\": \"none\", \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}"));
    assertThat(warning(r, "NetworkModeNoneNotMapped").field()).isEqualTo("networkMode");
  }

  @Test
  void dnsSettingsBecomePodDnsConfig() {
    Result r =
        render(one("\"dnsServers\": [\"10.0.0.2\"], \"dnsSearchDomains\": [\"corp.example\"]"));
    assertThat(pod(r).getDnsPolicy()).isEqualTo("None");
    assertThat(pod(r).getDnsConfig().getNameservers()).containsExactly("10.0.0.2");
    assertThat(pod(r).getDnsConfig().getSearches()).containsExactly("corp.example");

    Result searchesOnly = render(one("\"dnsSearchDomains\": [\"corp.example\"]"));
    assertThat(pod(searchesOnly).getDnsPolicy()).isNull();
    assertThat(pod(searchesOnly).getDnsConfig().getSearches()).containsExactly("corp.example");
  }

  @Test
  void extraHostsBecomeHostAliasesGroupedByAddress() {
    Result r =
        render(
            one(
                """
                "extraHosts": [{"hostname": "a", "ipAddress": "10.0.0.1"},
                               {"hostname": "b", "ipAddress": "10.0.0.1"},
                               {"hostname": "c", "ipAddress": "10.0.0.2"}]"""));
    assertThat(pod(r).getHostAliases())
        .extracting(h -> h.getIp(), h -> h.getHostnames())
        .containsExactly(tuple("10.0.0.1", List.of("a", "b")), tuple("10.0.0.2", List.of("c")));
  }

  @Test
  void hostnameIsThePodsAndASecondOneWarns() {
    Result r =
        render(
            task(
                """
                {"networkMode": "bridge", "containerDefinitions": [
                  {"name": "a", "image": "x", "hostname": "web"},
                  {"name": "b", "image": "x", "hostname": "other"}]}"""));
    assertThat(pod(r).getHostname()).isEqualTo("web");
    assertThat(warning(r, "HostnameNotMapped").field())
        .isEqualTo("containerDefinitions[1].hostname");
  }

  // ------------------------------------------------------------------ environment and secrets

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "$(date)|$$(date)",
        "a$(B)c$(D)|a$$(B)c$$(D)",
        "a$$b|a$$$b",
        "$$(x)|$$$$(x)",
        "$HOME|$HOME",
        "cost $5|cost $5",
        "end$|end$",
        "plain|plain"
      })
  void dollarParenIsEscapedInEnvCommandAndArgs(String value, String escaped) {
    Container c =
        app(
            render(
                one(
                    """
                    "environment": [{"name": "V", "value": "%s"}],
                    "entryPoint": ["%s"], "command": ["%s"]"""
                        .formatted(value, value, value))));
    assertThat(c.getEnv()).extracting(EnvVar::getValue).containsExactly(escaped);
    assertThat(c.getCommand()).containsExactly(escaped);
    assertThat(c.getArgs()).containsExactly(escaped);
  }

  @Test
  void entryPointCommandAndWorkingDirectory() {
    Container c =
        app(
            render(
                one(
                    """
                    "entryPoint": ["sh", "-c"], "command": ["echo hi"],
                    "workingDirectory": "/srv\"""")));
    assertThat(c.getCommand()).containsExactly("sh", "-c");
    assertThat(c.getArgs()).containsExactly("echo hi");
    assertThat(c.getWorkingDir()).isEqualTo("/srv");
  }

  @Test
  void environmentFilesWarn() {
    Result r =
        render(
            one(
                "\"environmentFiles\": [{\"type\": \"s3\", \"value\":"
                    + " \"arn:aws:s3:::bucket/app.env\"}]"));
    assertThat(warning(r, "EnvironmentFilesNotMapped").field())
        .isEqualTo("containerDefinitions[0].environmentFiles");
  }

  @Test
  void kubernetesSecretReferencesBecomeSecretKeyRefs() {
    Result r =
        render(
            one(
                "\"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"k8s:secret/db/password\"}]"));
    EnvVar env = app(r).getEnv().get(0);
    assertThat(env.getName()).isEqualTo("DB_PASSWORD");
    assertThat(env.getValue()).isNull();
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void awsSecretsWithoutExternalSecretsAreRefusedAndNeverCopied() {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    Result r =
        render(
            one(
                """
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": "%s"},
                            {"name": "API_KEY", "valueFrom": "/prod/api-key"},
                            {"name": "LOCAL", "valueFrom": "k8s:secret/db/password"}]"""
                    .formatted(arn)));
    // on ECS the task would not start without them: the rollout stops, the old revision runs on
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].secrets[0].valueFrom", "SecretsNeedExternalSecrets"),
            tuple("containerDefinitions[0].secrets[1].valueFrom", "SecretsNeedExternalSecrets"));
    assertThat(r.refusals().get(0).message())
        .contains("DB_PASSWORD", "Secrets Manager", "External Secrets Operator")
        .doesNotContain(arn);
    assertThat(r.refusals().get(1).message())
        .contains("API_KEY", "SSM")
        .doesNotContain("/prod/api-key");
    // k8s:secret/ needs no operator
    assertThat(app(r).getEnv())
        .extracting(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsExactly(tuple("LOCAL", "db"));
    assertThat(r.warnings()).isEmpty();
  }

  static Result renderWithExternalSecrets(TaskDefinitionSpec spec) {
    return new PodTemplateRenderer()
        .render(new Input(spec, null, null, false, null, true, "web-ecs-secrets"));
  }

  @Test
  void ssmParameterNameBecomesAnExternalSecretKey() {
    Result r =
        renderWithExternalSecrets(
            one("\"secrets\": [{\"name\": \"API_KEY\", \"valueFrom\": \"/prod/api-key\"}]"));
    EnvVar env = app(r).getEnv().get(0);
    assertThat(env.getName()).isEqualTo("API_KEY");
    assertThat(env.getValue()).isNull();
    assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("web-ecs-secrets");
    assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("API_KEY");
    assertThat(r.warnings()).isEmpty();
    assertThat(r.externalSecrets())
        .containsExactly(
            new ExternalSecretEntry(
                "web-ecs-secrets", "API_KEY", "/prod/api-key", null, null, "ParameterStore"));
  }

  @Test
  void ssmParameterArnReadsTheParameterName() {
    Result r =
        renderWithExternalSecrets(
            one(
                """
                "secrets": [
                  {"name": "DB_URL", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/prod/db/url"},
                  {"name": "FLAT", "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/flat"}]"""));
    assertThat(r.externalSecrets())
        .extracting(ExternalSecretEntry::secretKey, ExternalSecretEntry::remoteKey)
        .containsExactly(tuple("DB_URL", "/prod/db/url"), tuple("FLAT", "/flat"));
    assertThat(r.externalSecrets())
        .allSatisfy(e -> assertThat(e.storeKind()).isEqualTo("ParameterStore"));
  }

  @Test
  void secretsManagerArnWithJsonKeyReadsThatProperty() {
    String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    Result r =
        renderWithExternalSecrets(
            one(
                """
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": "%s:password::"},
                            {"name": "DB_USER", "valueFrom": "%s:username:AWSPREVIOUS:"},
                            {"name": "DB_ALL", "valueFrom": "%s"}]"""
                    .formatted(arn, arn, arn)));
    assertThat(r.externalSecrets())
        .containsExactly(
            new ExternalSecretEntry(
                "web-ecs-secrets", "DB_PASSWORD", arn, "password", null, "SecretsManager"),
            new ExternalSecretEntry(
                "web-ecs-secrets", "DB_USER", arn, "username", "AWSPREVIOUS", "SecretsManager"),
            new ExternalSecretEntry(
                "web-ecs-secrets", "DB_ALL", arn, null, null, "SecretsManager"));
    assertThat(app(r).getEnv())
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getKey())
        .containsExactly("DB_PASSWORD", "DB_USER", "DB_ALL");
  }

  @Test
  void bothStoresGetOneTargetSecretEach() {
    Result r =
        renderWithExternalSecrets(
            one(
                """
                "secrets": [
                  {"name": "A", "valueFrom": "/prod/a"},
                  {"name": "B", "valueFrom": "arn:aws:secretsmanager:us-east-1:123456789012:secret:b-AbCdEf"}]"""));
    assertThat(r.externalSecrets())
        .extracting(ExternalSecretEntry::target, ExternalSecretEntry::storeKind)
        .containsExactly(
            tuple("web-ecs-secrets-ssm", "ParameterStore"),
            tuple("web-ecs-secrets-sm", "SecretsManager"));
    assertThat(app(r).getEnv())
        .extracting(e -> e.getValueFrom().getSecretKeyRef().getName())
        .containsExactly("web-ecs-secrets-ssm", "web-ecs-secrets-sm");
  }

  @Test
  void oneNameWithTwoReferencesGetsTwoKeys() {
    Result r =
        renderWithExternalSecrets(
            task(
                """
                {"containerDefinitions": [
                  {"name": "a", "image": "nginx", "secrets": [{"name": "TOKEN", "valueFrom": "/a/token"}]},
                  {"name": "b", "image": "nginx", "secrets": [{"name": "TOKEN", "valueFrom": "/b/token"}]},
                  {"name": "c", "image": "nginx", "secrets": [{"name": "TOKEN", "valueFrom": "/a/token"}]}]}
                """));
    assertThat(r.externalSecrets()).hasSize(2);
    assertThat(r.externalSecrets().get(0).secretKey()).isEqualTo("TOKEN");
    assertThat(r.externalSecrets().get(1).secretKey()).startsWith("TOKEN-");
    List<String> keys =
        r.template().getSpec().getContainers().stream()
            .map(c -> c.getEnv().get(0).getValueFrom().getSecretKeyRef().getKey())
            .toList();
    assertThat(keys).containsExactly("TOKEN", r.externalSecrets().get(1).secretKey(), "TOKEN");
  }

  @Test
  void externalSecretsCarryReferencesOnlyAndLogSecretOptionsStayUnmapped() {
    Result r =
        renderWithExternalSecrets(
            one(
                """
                "secrets": [{"name": "API_KEY", "valueFrom": "/prod/api-key"}],
                "logConfiguration": {"logDriver": "awsfirelens",
                  "secretOptions": [{"name": "apikey", "valueFrom": "/prod/log-key"}]}"""));
    assertThat(app(r).getEnv()).extracting(EnvVar::getName).containsExactly("API_KEY");
    assertThat(app(r).getEnv()).allSatisfy(e -> assertThat(e.getValue()).isNull());
    assertThat(r.externalSecrets())
        .extracting(ExternalSecretEntry::remoteKey)
        .containsExactly("/prod/api-key");
    assertThat(r.warnings())
        .extracting(StatusWarning::reason)
        .containsExactly("LogConfigurationNotMapped");
  }

  @Test
  void malformedKubernetesSecretReferenceIsRefused() {
    Result r =
        render(one("\"secrets\": [{\"name\": \"X\", \"valueFrom\": \"k8s:secret/only-name\"}]"));
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].secrets[0].valueFrom", "InvalidSecretReference"));
  }

  // ------------------------------------------------------------------ security

  @ParameterizedTest(name = "user {0}")
  @CsvSource(
      nullValues = "-",
      value = {
        "1000,1000,-,false",
        "1000:2000,1000,2000,false",
        "nginx,-,-,true",
        "1000:staff,1000,-,true"
      })
  void usersMapToNumericIds(String user, Long uid, Long gid, boolean warns) {
    Result r = render(one("\"user\": \"" + user + "\""));
    Container c = app(r);
    assertThat(c.getSecurityContext() == null ? null : c.getSecurityContext().getRunAsUser())
        .isEqualTo(uid);
    assertThat(c.getSecurityContext() == null ? null : c.getSecurityContext().getRunAsGroup())
        .isEqualTo(gid);
    assertThat(reasons(r).contains("UserNameNotMapped")).isEqualTo(warns);
  }

  @Test
  void windowsUsersAreRunAsUserNames() {
    TaskDefinitionSpec spec =
        task(
            """
            {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
             "containerDefinitions": [{"name": "app", "image": "iis", "user": "ContainerUser"}]}""");
    assertThat(app(render(spec)).getSecurityContext().getWindowsOptions().getRunAsUserName())
        .isEqualTo("ContainerUser");
  }

  @Test
  void privilegedIsRefusedUnlessAllowed() {
    Result strict = render(one("\"privileged\": true"));
    assertThat(strict.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("containerDefinitions[0].privileged", "PrivilegedNotAllowed"));
    Result allowed = render(one("\"privileged\": true"), allowing(true, false, false));
    assertThat(allowed.refusals()).isEmpty();
    assertThat(app(allowed).getSecurityContext().getPrivileged()).isTrue();
  }

  @Test
  void readOnlyRootAndCapabilities() {
    Container c =
        app(
            render(
                one(
                    """
                    "readonlyRootFilesystem": true,
                    "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]}}""")));
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void dockerSecurityOptions() {
    Result r =
        render(
            one(
                """
                "dockerSecurityOptions": ["no-new-privileges", "apparmor:my-profile",
                  "label:type:spc_t", "credentialspec:file://x.json"]"""));
    var sc = app(r).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getAppArmorProfile().getType()).isEqualTo("Localhost");
    assertThat(sc.getAppArmorProfile().getLocalhostProfile()).isEqualTo("my-profile");
    assertThat(sc.getSeLinuxOptions().getType()).isEqualTo("spc_t");
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].dockerSecurityOptions[3]",
                "DockerSecurityOptionNotMapped"));
  }

  @Test
  void initProcessSharesTheProcessNamespace() {
    Result r = render(one("\"linuxParameters\": {\"initProcessEnabled\": true}"));
    assertThat(pod(r).getShareProcessNamespace()).isTrue();
    assertThat(warning(r, "InitProcessApproximated").field())
        .isEqualTo("containerDefinitions[0].linuxParameters.initProcessEnabled");
  }

  @Test
  void pidAndIpcModes() {
    String containers = "\"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]";
    Result task =
        render(task("{\"pidMode\": \"task\", \"ipcMode\": \"task\", " + containers + "}"));
    assertThat(pod(task).getShareProcessNamespace()).isTrue();
    assertThat(task.warnings()).isEmpty();

    Result host =
        render(task("{\"pidMode\": \"host\", \"ipcMode\": \"host\", " + containers + "}"));
    assertThat(host.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("pidMode", "HostPidNotAllowed"), tuple("ipcMode", "HostIpcNotAllowed"));
    Result allowed =
        render(
            task("{\"pidMode\": \"host\", \"ipcMode\": \"host\", " + containers + "}"),
            allowing(true, false, false));
    assertThat(allowed.refusals()).isEmpty();
    assertThat(pod(allowed).getHostPID()).isTrue();
    assertThat(pod(allowed).getHostIPC()).isTrue();

    Result none = render(task("{\"ipcMode\": \"none\", " + containers + "}"));
    assertThat(warning(none, "IpcModeNoneNotMapped").field()).isEqualTo("ipcMode");
  }

  @Test
  void systemControlsBecomePodSysctlsAndConflictsWarn() {
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "a", "image": "x", "systemControls": [
                    {"namespace": "net.core.somaxconn", "value": "1024"}]},
                  {"name": "b", "image": "x", "systemControls": [
                    {"namespace": "net.core.somaxconn", "value": "4096"}]}]}"""));
    assertThat(pod(r).getSecurityContext().getSysctls())
        .extracting(s -> s.getName(), s -> s.getValue())
        .containsExactly(tuple("net.core.somaxconn", "1024"));
    assertThat(warning(r, "SystemControlConflict").field())
        .isEqualTo("containerDefinitions[1].systemControls[0]");
  }

  // ------------------------------------------------------------------ linux parameters

  @Test
  void sharedMemoryAndTmpfsBecomeMemoryEmptyDirs() {
    Result r =
        render(
            one(
                """
                "linuxParameters": {"sharedMemorySize": 64,
                  "tmpfs": [{"containerPath": "/scratch", "size": 128, "mountOptions": ["noexec"]}]}"""));
    assertThat(pod(r).getVolumes())
        .extracting(
            Volume::getName,
            v -> v.getEmptyDir().getMedium(),
            v -> v.getEmptyDir().getSizeLimit().toString())
        .containsExactly(
            tuple("app-dshm", "Memory", "64Mi"), tuple("app-tmpfs-0", "Memory", "128Mi"));
    assertThat(app(r).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath)
        .containsExactly(tuple("app-dshm", "/dev/shm"), tuple("app-tmpfs-0", "/scratch"));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].linuxParameters.tmpfs[0].mountOptions",
                "TmpfsMountOptionsNotMapped"));
  }

  @Test
  void devicesSwapAndUlimitsWarn() {
    Result r =
        render(
            one(
                """
                "linuxParameters": {"devices": [{"hostPath": "/dev/fuse"}], "maxSwap": 512,
                                    "swappiness": 10},
                "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]"""));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactlyInAnyOrder(
            tuple("containerDefinitions[0].linuxParameters.devices", "DevicesNotMapped"),
            tuple("containerDefinitions[0].linuxParameters.maxSwap", "SwapNotMapped"),
            tuple("containerDefinitions[0].linuxParameters.swappiness", "SwapNotMapped"),
            tuple("containerDefinitions[0].ulimits", "UlimitsNotMapped"));
  }

  // ------------------------------------------------------------------ other container fields

  @Test
  void interactiveAndPseudoTerminal() {
    Container c = app(render(one("\"interactive\": true, \"pseudoTerminal\": true")));
    assertThat(c.getStdin()).isTrue();
    assertThat(c.getTty()).isTrue();
  }

  @Test
  void fieldsWithoutCounterpartWarn() {
    Result r =
        render(
            one(
                """
                "links": ["db"], "disableNetworking": true, "startTimeout": 60,
                "logConfiguration": {"logDriver": "awslogs"},
                "firelensConfiguration": {"type": "fluentbit"},
                "credentialSpecs": ["credentialspecdomainless:arn:aws:s3:::b/c.json"],
                "restartPolicy": {"enabled": true, "ignoredExitCodes": [0],
                                  "restartAttemptPeriod": 60}"""));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactlyInAnyOrder(
            tuple("containerDefinitions[0].links", "LinksNotMapped"),
            tuple("containerDefinitions[0].disableNetworking", "DisableNetworkingNotMapped"),
            tuple("containerDefinitions[0].startTimeout", "StartTimeoutNotMapped"),
            tuple("containerDefinitions[0].logConfiguration", "LogConfigurationNotMapped"),
            tuple(
                "containerDefinitions[0].firelensConfiguration", "FirelensConfigurationNotMapped"),
            tuple("containerDefinitions[0].credentialSpecs", "CredentialSpecsNotMapped"),
            tuple(
                "containerDefinitions[0].restartPolicy.ignoredExitCodes",
                "RestartPolicyApproximated"),
            tuple(
                "containerDefinitions[0].restartPolicy.restartAttemptPeriod",
                "RestartPolicyApproximated"));
  }

  @Test
  void fieldsThatNeedNoWarning() {
    Result r =
        render(
            one(
                """
                "versionConsistency": "enabled", "restartPolicy": {"enabled": true},
                "essential": true, "privileged": false, "disableNetworking": false"""));
    assertThat(r.warnings()).isEmpty();
    assertThat(r.refusals()).isEmpty();
  }

  @ParameterizedTest(name = "stop timeouts {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {"10,90|90", "10,-|30", "10,10|10", "-,-|30"})
  void stopTimeoutIsTheLongestGracePeriod(String timeouts, long grace) {
    String[] t = timeouts.split(",");
    StringBuilder containers = new StringBuilder();
    for (int i = 0; i < t.length; i++) {
      containers
          .append(i == 0 ? "" : ",")
          .append("{\"name\": \"c")
          .append(i)
          .append("\", \"image\": \"x\"")
          .append(t[i].equals("-") ? "" : ", \"stopTimeout\": " + t[i])
          .append("}");
    }
    Result r = render(task("{\"containerDefinitions\": [" + containers + "]}"));
    assertThat(pod(r).getTerminationGracePeriodSeconds()).isEqualTo(grace);
  }

  @Test
  void repositoryCredentialsBecomeAnImagePullSecret() {
    Result r =
        render(
            one(
                "\"repositoryCredentials\": {\"credentialsParameter\":"
                    + " \"arn:aws:secretsmanager:us-east-1:123456789012:secret:team/Registry_Creds-AbCdEf\"}"));
    assertThat(pod(r).getImagePullSecrets())
        .extracting(ref -> ref.getName())
        .containsExactly("team-registry-creds");
    assertThat(warning(r, "RepositoryCredentialsNeedSecret").field())
        .isEqualTo("containerDefinitions[0].repositoryCredentials");
  }

  @Test
  void dockerLabelsBecomeNamespacedAnnotations() {
    String longKey = "com.example.".repeat(6) + "x";
    Result r =
        render(
            task(
                """
                {"containerDefinitions": [
                  {"name": "a", "image": "x",
                   "dockerLabels": {"traefik.enable": "true", "%s": "v", "team": "one"}},
                  {"name": "b", "image": "x", "dockerLabels": {"team": "two"}}]}"""
                    .formatted(longKey)));
    Map<String, String> annotations = r.template().getMetadata().getAnnotations();
    assertThat(annotations)
        .containsEntry("ecs.tidewater.dev/docker-label.traefik.enable", "true")
        .containsEntry("ecs.tidewater.dev/docker-label.team", "one")
        .containsEntry(PodTemplateRenderer.dockerLabelAnnotation(longKey), "v")
        .hasSize(3);
    assertThat(PodTemplateRenderer.dockerLabelAnnotation(longKey).split("/")[1])
        .hasSizeLessThanOrEqualTo(63);
    assertThat(warning(r, "DockerLabelConflict").field())
        .isEqualTo("containerDefinitions[1].dockerLabels");
  }

  // ------------------------------------------------------------------ volumes

  @Test
  void hostPathIsRefusedUnlessAllowed() {
    TaskDefinitionSpec spec =
        task(
            """
            {"volumes": [{"name": "logs", "host": {"sourcePath": "/var/log"}}],
             "containerDefinitions": [{"name": "app", "image": "x",
               "mountPoints": [{"sourceVolume": "logs", "containerPath": "/logs", "readOnly": true}]}]}""");
    assertThat(render(spec).refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("volumes[0].host.sourcePath", "HostPathNotAllowed"));
    Result allowed = render(spec, allowing(false, false, true));
    assertThat(allowed.refusals()).isEmpty();
    assertThat(pod(allowed).getVolumes().get(0).getHostPath().getPath()).isEqualTo("/var/log");
    assertThat(app(allowed).getVolumeMounts())
        .extracting(VolumeMount::getName, VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(tuple("logs", "/logs", true));
  }

  @Test
  void taskScopedVolumesAreEmptyDirs() {
    Result r =
        render(
            task(
                """
                {"volumes": [{"name": "a"}, {"name": "b", "host": {}},
                             {"name": "c", "dockerVolumeConfiguration": {"scope": "task", "driver": "local"}}],
                 "containerDefinitions": [{"name": "app", "image": "x"}]}"""));
    assertThat(pod(r).getVolumes())
        .extracting(Volume::getName, v -> v.getEmptyDir() != null)
        .containsExactly(tuple("a", true), tuple("b", true), tuple("c", true));
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void sharedDockerVolumesAndDriversWarn() {
    Result r =
        render(
            task(
                """
                {"volumes": [{"name": "data", "dockerVolumeConfiguration": {"scope": "shared",
                   "autoprovision": true, "driver": "rexray/ebs", "driverOpts": {"size": "5"}}}],
                 "containerDefinitions": [{"name": "app", "image": "x"}]}"""));
    assertThat(pod(r).getVolumes().get(0).getEmptyDir()).isNotNull();
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("volumes[0].dockerVolumeConfiguration.scope", "SharedVolumeNotMapped"),
            tuple("volumes[0].dockerVolumeConfiguration.driver", "DockerVolumeDriverNotMapped"),
            tuple(
                "volumes[0].dockerVolumeConfiguration.driverOpts", "DockerVolumeDriverNotMapped"));
  }

  @Test
  void efsVolumesBecomePersistentVolumeClaimsOfADerivedName() {
    Result r =
        render(
            task(
                """
                {"volumes": [
                   {"name": "shared", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678",
                     "transitEncryption": "ENABLED",
                     "authorizationConfig": {"accessPointId": "fsap-0abc", "iam": "ENABLED"}}},
                   {"name": "sub", "efsVolumeConfiguration": {"fileSystemId": "fs-12345678",
                     "rootDirectory": "/data/app"}}],
                 "containerDefinitions": [{"name": "app", "image": "x", "mountPoints": [
                   {"sourceVolume": "shared", "containerPath": "/shared"},
                   {"sourceVolume": "sub", "containerPath": "/sub"}]}]}"""));
    assertThat(pod(r).getVolumes())
        .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
        .containsExactly("efs-fs-12345678-fsap-0abc", "efs-fs-12345678");
    assertThat(app(r).getVolumeMounts())
        .extracting(VolumeMount::getMountPath, VolumeMount::getSubPath)
        .containsExactly(tuple("/shared", null), tuple("/sub", "data/app"));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("volumes[0].efsVolumeConfiguration", "EfsNeedsPersistentVolumeClaim"),
            tuple("volumes[1].efsVolumeConfiguration", "EfsNeedsPersistentVolumeClaim"));
  }

  @Test
  void fsxAndConfiguredAtLaunchVolumesAreEmptyDirsWithWarnings() {
    Result r =
        render(
            task(
                """
                {"volumes": [
                   {"name": "fsx", "fsxWindowsFileServerVolumeConfiguration": {"fileSystemId": "fs-1",
                     "rootDirectory": "share", "authorizationConfig": {
                       "credentialsParameter": "arn:aws:ssm:us-east-1:1:parameter/x", "domain": "corp"}}},
                   {"name": "ebs", "configuredAtLaunch": true}],
                 "containerDefinitions": [{"name": "app", "image": "x"}]}"""));
    assertThat(pod(r).getVolumes()).allSatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("volumes[0].fsxWindowsFileServerVolumeConfiguration", "FsxVolumeNotMapped"),
            tuple("volumes[1].configuredAtLaunch", "VolumeConfiguredAtLaunch"));
  }

  @Test
  void volumesFromCopiesTheSourceMountsWithReadOnlyOverride() {
    Result r =
        render(
            task(
                """
                {"volumes": [{"name": "data"}, {"name": "cache"}],
                 "containerDefinitions": [
                   {"name": "app", "image": "x", "mountPoints": [
                     {"sourceVolume": "data", "containerPath": "/data"},
                     {"sourceVolume": "cache", "containerPath": "/cache", "readOnly": true}]},
                   {"name": "reader", "image": "x",
                    "volumesFrom": [{"sourceContainer": "app", "readOnly": true}]},
                   {"name": "writer", "image": "x",
                    "volumesFrom": [{"sourceContainer": "app"}]}]}"""));
    assertThat(container(r, "reader").getVolumeMounts())
        .extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(tuple("/data", true), tuple("/cache", true));
    assertThat(container(r, "writer").getVolumeMounts())
        .extracting(VolumeMount::getMountPath, VolumeMount::getReadOnly)
        .containsExactly(tuple("/data", null), tuple("/cache", true));
  }

  @Test
  void unknownVolumesAndSourceContainersAreRefused() {
    Result r =
        render(
            one(
                """
                "mountPoints": [{"sourceVolume": "nope", "containerPath": "/x"}],
                "volumesFrom": [{"sourceContainer": "ghost"}]"""));
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].mountPoints[0].sourceVolume", "UnknownVolume"),
            tuple(
                "containerDefinitions[0].volumesFrom[0].sourceContainer",
                "UnknownSourceContainer"));
  }

  // ------------------------------------------------------------------ placement

  @Nested
  class Placement {

    final ClusterSpec cluster = PodTemplateRendererCorpusTest.permissiveCluster();

    @Test
    void fargateLaunchTypeUsesTheFargatePlacement() {
      TaskDefinitionSpec spec =
          task(
              "{\"requiresCompatibilities\": [\"EC2\", \"FARGATE\"], \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}");
      Result r = render(spec, cluster);
      assertThat(pod(r).getNodeSelector())
          .containsExactly(Map.entry("eks.amazonaws.com/compute-type", "fargate"));
      assertThat(pod(r).getTolerations())
          .containsExactly(
              new Toleration(
                  "NoSchedule", "eks.amazonaws.com/compute-type", "Equal", null, "fargate"));
    }

    @Test
    void theServicesLaunchTypeWins() {
      TaskDefinitionSpec spec =
          task(
              "{\"requiresCompatibilities\": [\"EC2\", \"FARGATE\"], \"containerDefinitions\": [{\"name\": \"app\", \"image\": \"x\"}]}");
      Result r = new PodTemplateRenderer().render(new Input(spec, "EC2", cluster, false, null));
      assertThat(pod(r).getNodeSelector())
          .containsExactly(Map.entry("tidewater.dev/capacity", "ec2"));
      assertThat(pod(r).getTolerations()).isNullOrEmpty();
    }

    @Test
    void fargateWithoutNetworkModeIsAwsvpc() {
      TaskDefinitionSpec spec =
          task(
              """
              {"requiresCompatibilities": ["FARGATE"], "containerDefinitions": [{"name": "app",
                "image": "x", "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}""");
      Result r = render(spec);
      assertThat(app(r).getPorts().get(0).getHostPort()).isNull();
      assertThat(r.warnings()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ARM64,arm64", "X86_64,amd64"})
    void cpuArchitectureSelectsNodes(String arch, String label) {
      TaskDefinitionSpec spec =
          task(
              """
              {"runtimePlatform": {"cpuArchitecture": "%s", "operatingSystemFamily": "LINUX"},
               "containerDefinitions": [{"name": "app", "image": "x"}]}"""
                  .formatted(arch));
      Result r = render(spec, cluster);
      assertThat(pod(r).getNodeSelector())
          .containsEntry("kubernetes.io/arch", label)
          .containsEntry("kubernetes.io/os", "linux");
      boolean armToleration =
          pod(r).getTolerations() != null
              && pod(r).getTolerations().stream()
                  .anyMatch(t -> "kubernetes.io/arch".equals(t.getKey()));
      assertThat(armToleration).isEqualTo(arch.equals("ARM64"));
    }

    @Test
    void windowsSelectsWindowsNodes() {
      TaskDefinitionSpec spec =
          task(
              """
              {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_FULL"},
               "containerDefinitions": [{"name": "app", "image": "x"}]}""");
      Result r = render(spec, cluster);
      assertThat(pod(r).getNodeSelector()).containsEntry("kubernetes.io/os", "windows");
      assertThat(pod(r).getTolerations()).extracting(Toleration::getKey).contains("os");
    }

    @Test
    void placementConstraintsBecomeNodeAffinityOrWarn() {
      TaskDefinitionSpec spec =
          task(
              """
              {"placementConstraints": [
                 {"type": "memberOf", "expression": "attribute:ecs.instance-type == m5.large"},
                 {"type": "memberOf", "expression": "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"},
                 {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ g4dn.*"}],
               "containerDefinitions": [{"name": "app", "image": "x"}]}""");
      Result r = render(spec);
      var terms =
          pod(r)
              .getAffinity()
              .getNodeAffinity()
              .getRequiredDuringSchedulingIgnoredDuringExecution()
              .getNodeSelectorTerms();
      assertThat(terms).hasSize(1);
      assertThat(terms.get(0).getMatchExpressions())
          .extracting(e -> e.getKey(), e -> e.getOperator(), e -> e.getValues())
          .containsExactly(
              tuple("node.kubernetes.io/instance-type", "In", List.of("m5.large")),
              tuple("topology.kubernetes.io/zone", "In", List.of("us-east-1a", "us-east-1b")));
      assertThat(r.warnings())
          .extracting(StatusWarning::field, StatusWarning::reason)
          .containsExactly(
              tuple("placementConstraints[2].expression", "PlacementConstraintNotMapped"));
    }
  }

  // ------------------------------------------------------------------ task-level fields

  @Test
  void taskLevelFieldsWithoutCounterpartWarn() {
    Result r =
        render(
            task(
                """
                {"taskRoleArn": "arn:aws:iam::123456789012:role/app",
                 "executionRoleArn": "arn:aws:iam::123456789012:role/exec",
                 "enableFaultInjection": true,
                 "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy"},
                 "inferenceAccelerators": [{"deviceName": "d", "deviceType": "eia2.medium"}],
                 "containerDefinitions": [{"name": "app", "image": "x"}]}"""));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactlyInAnyOrder(
            tuple("taskRoleArn", "TaskRoleArnNeedsTaskRole"),
            tuple("enableFaultInjection", "FaultInjectionNotMapped"),
            tuple("proxyConfiguration", "ProxyConfigurationNotMapped"),
            tuple("inferenceAccelerators", "InferenceAcceleratorNotMapped"));
  }

  @Test
  void noClusterMeansStrictGuardrails() {
    TaskDefinitionSpec spec =
        task(
            """
            {"networkMode": "host", "pidMode": "host",
             "volumes": [{"name": "v", "host": {"sourcePath": "/"}}],
             "containerDefinitions": [{"name": "app", "image": "x", "privileged": true}]}""");
    assertThat(render(spec).refusals())
        .extracting(Problem::reason)
        .containsExactlyInAnyOrder(
            "HostNetworkNotAllowed",
            "HostPidNotAllowed",
            "HostPathNotAllowed",
            "PrivilegedNotAllowed");
    assertThat(render(spec, PodTemplateRendererCorpusTest.permissiveCluster()).refusals())
        .isEmpty();
  }

  @Test
  void everyReasonIsAString() {
    // Reasons are read by machines: UpperCamelCase words, no spaces.
    assertThat(KubernetesMappingDocTest.reasons())
        .allSatisfy(r -> assertThat(r).matches("[A-Z][A-Za-z0-9]+"));
  }
}
