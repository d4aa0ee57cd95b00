package dev.tidewater.backend.kubernetes.render;

import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.container;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.pod;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.requests;
import static dev.tidewater.backend.kubernetes.render.PodTemplateRendererTest.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Input;
import dev.tidewater.backend.kubernetes.render.PodTemplateRenderer.Result;
import dev.tidewater.model.Problem;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression shapes of issue 14: valid ECS inputs whose rendering kube-apiserver 1.35 refused. Each
 * case pins the exact fields, warnings and refusals; {@code RenderedShapesIT} dry-runs the same
 * shapes on the real API server.
 */
public class ApiServerRulesRenderingTest {

  /** With pod-level resources and a Cluster allowing privileged / host networking / host paths. */
  static Result renderAllowing(
      TaskDefinitionSpec spec, boolean privileged, boolean hostNetwork, boolean hostPath) {
    return new PodTemplateRenderer()
        .render(
            new Input(
                spec,
                null,
                PodTemplateRendererTest.allowing(privileged, hostNetwork, hostPath),
                true,
                null));
  }

  static Result render(TaskDefinitionSpec spec, boolean podLevelResources) {
    return new PodTemplateRenderer().render(new Input(spec, null, null, podLevelResources, null));
  }

  @Test
  void extraHostsAreLowerCasedAndWhatAHostAliasCannotHoldIsLeftOutWithAWarning() {
    Result r =
        render(
            task(
                """
                {"networkMode": "bridge", "containerDefinitions": [{"name": "app", "image": "x",
                 "extraHosts": [{"hostname": "Legacy-Host", "ipAddress": "fd00::10"},
                                {"hostname": "my_host", "ipAddress": "10.0.0.9"},
                                {"hostname": "db", "ipAddress": "not-an-ip"}]}]}"""),
            true);
    assertThat(pod(r).getHostAliases())
        .extracting(a -> a.getIp(), a -> a.getHostnames())
        .containsExactly(tuple("fd00::10", List.of("legacy-host")));
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .contains(
            tuple("containerDefinitions[0].extraHosts[1].hostname", "ExtraHostNotMapped"),
            tuple("containerDefinitions[0].extraHosts[2].ipAddress", "ExtraHostNotMapped"));
  }

  @Test
  void splitModeGivesEveryLongRunningContainerARequestEvenWhenOthersFillTheTask() {
    // without it an HPA computes nothing: "missing request for cpu in container"
    Result r =
        render(
            task(
                """
                {"cpu": "256", "memory": "512", "containerDefinitions": [
                  {"name": "app", "image": "x", "cpu": 256, "memoryReservation": 512},
                  {"name": "agent", "image": "x"}]}"""),
            false);
    assertThat(requests(container(r, "agent")))
        .containsEntry("cpu", "1m")
        .containsEntry("memory", "1Mi");
    assertThat(requests(container(r, "app")))
        .containsEntry("cpu", "249m")
        .containsEntry("memory", "511Mi");
  }

  @Test
  void initProcessInTheHostsPidNamespaceSharesNothing() {
    Result r =
        renderAllowing(
            task(
                """
                {"networkMode": "bridge", "pidMode": "host", "containerDefinitions": [
                  {"name": "app", "image": "x", "linuxParameters": {"initProcessEnabled": true}}]}"""),
            true,
            false,
            false);
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getHostPID()).isTrue();
    assertThat(pod(r).getShareProcessNamespace()).isNull();
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .contains(
            tuple(
                "containerDefinitions[0].linuxParameters.initProcessEnabled",
                "InitProcessApproximated"));
  }

  /** The AWS X-Ray daemon sample: a 256-unit task, app 224 + daemon 32. */
  public static final String XRAY =
      """
      {"networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256",
       "memory": "512", "containerDefinitions": [
        {"name": "app", "image": "app", "cpu": 224, "memoryReservation": 256},
        {"name": "xray-daemon", "image": "amazon/aws-xray-daemon", "cpu": 32,
         "memoryReservation": 256}]}""";

  /** The Datadog agent sidecar shape: a 512-unit task, app 502 + agent 10. */
  public static final String DATADOG =
      """
      {"networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "512",
       "memory": "1024", "containerDefinitions": [
        {"name": "app", "image": "app", "cpu": 502, "memory": 768},
        {"name": "datadog-agent", "image": "datadog/agent", "cpu": 10, "memory": 256}]}""";

  /** 1 vCPU / 2 GiB with a native sidecar started before a run-to-completion init container. */
  public static final String SIDECAR_THEN_INIT =
      """
      {"networkMode": "awsvpc", "cpu": "1024", "memory": "2048", "containerDefinitions": [
        {"name": "envoy", "image": "envoy", "cpu": 256, "memory": 256},
        {"name": "migrate", "image": "migrate", "essential": false,
         "dependsOn": [{"containerName": "envoy", "condition": "START"}]},
        {"name": "app", "image": "app", "dependsOn": [
          {"containerName": "envoy", "condition": "START"},
          {"containerName": "migrate", "condition": "SUCCESS"}]}]}""";

  // ------------------------------------------------------------------ cpu and memory totals

  @ParameterizedTest(name = "pod-level resources {0}")
  @ValueSource(booleans = {true, false})
  void xrayDaemonSampleContainersAddUpToTheTaskCpu(boolean podLevel) {
    Result r = render(task(XRAY), podLevel);
    assertThat(r.refusals()).isEmpty();
    // exact 218.75m + 31.25m = 250m: the larger remainder (app's .75) gets the rounding up
    assertThat(requests(container(r, "app"))).containsEntry("cpu", "219m");
    assertThat(requests(container(r, "xray-daemon"))).containsEntry("cpu", "31m");
    assertThat(effective(pod(r), "cpu")).isEqualTo(250);
    assertThat(effective(pod(r), "memory")).isEqualTo(512);
    if (podLevel) {
      assertThat(pod(r).getResources().getRequests().get("cpu")).hasToString("250m");
    }
  }

  @ParameterizedTest(name = "pod-level resources {0}")
  @ValueSource(booleans = {true, false})
  void datadogSidecarShapeContainersAddUpToTheTaskCpu(boolean podLevel) {
    Result r = render(task(DATADOG), podLevel);
    assertThat(r.refusals()).isEmpty();
    // exact 490.23m + 9.77m = 500m
    assertThat(requests(container(r, "app"))).containsEntry("cpu", "490m");
    assertThat(requests(container(r, "datadog-agent"))).containsEntry("cpu", "10m");
    assertThat(effective(pod(r), "cpu")).isEqualTo(500);
    assertThat(effective(pod(r), "memory")).isEqualTo(1024);
  }

  @Test
  void splitModeInitContainerRequestsWhatTheSidecarsLeave() {
    Result r = render(task(SIDECAR_THEN_INIT), false);
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getInitContainers())
        .extracting(Container::getName, Container::getRestartPolicy)
        .containsExactly(tuple("envoy", "Always"), tuple("migrate", null));
    assertThat(requests(container(r, "envoy"))).isEqualTo(Map.of("cpu", "250m", "memory", "256Mi"));
    // before: the whole task (1 vCPU / 2 GiB) beside envoy, an effective 1.25 vCPU / 2.25 GiB
    assertThat(requests(container(r, "migrate")))
        .isEqualTo(Map.of("cpu", "750m", "memory", "1792Mi"));
    assertThat(requests(container(r, "app"))).isEqualTo(Map.of("cpu", "750m", "memory", "1792Mi"));
    assertThat(effective(pod(r), "cpu")).isEqualTo(1000);
    assertThat(effective(pod(r), "memory")).isEqualTo(2048);
  }

  @Test
  void splitModeContainersThatAllHaveTheirOwnValuesGrowToTheTaskUpToTheirHardLimits() {
    Result r =
        render(
            task(
                """
                {"cpu": "1024", "memory": "2048", "containerDefinitions": [
                  {"name": "app", "image": "app", "cpu": 384, "memoryReservation": 512},
                  {"name": "agent", "image": "agent", "cpu": 128, "memory": 256}]}"""),
            false);
    // cpu 384 : 128 of 1024 units = 768 : 256 = 750m + 250m; memory: agent is held at its hard
    // limit of 256 MiB, app's reservation grows to the rest
    assertThat(requests(container(r, "app"))).isEqualTo(Map.of("cpu", "750m", "memory", "1792Mi"));
    assertThat(requests(container(r, "agent"))).isEqualTo(Map.of("cpu", "250m", "memory", "256Mi"));
    assertThat(effective(pod(r), "cpu")).isEqualTo(1000);
    assertThat(effective(pod(r), "memory")).isEqualTo(2048);
  }

  @ParameterizedTest(name = "pod-level resources {0}")
  @ValueSource(booleans = {true, false})
  void containersAskingForMoreThanTheTaskAreRefused(boolean podLevel) {
    Result r =
        render(
            task(
                """
                {"cpu": "256", "memory": "512", "containerDefinitions": [
                  {"name": "a", "image": "x", "cpu": 200, "memoryReservation": 300},
                  {"name": "b", "image": "x", "cpu": 100, "memory": 600, "memoryReservation": 700}]}"""),
            podLevel);
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[1].memoryReservation", "MemoryReservationAboveMemory"),
            tuple("containerDefinitions[1].memory", "ContainerMemoryExceedsTask"),
            tuple("cpu", "ContainerCpuTotalExceedsTask"),
            tuple("memory", "ContainerMemoryTotalExceedsTask"));
  }

  @Test
  void aContainerAskingForOneUnitKeepsAtLeastOneMillicore() {
    Result r =
        render(
            task(
                """
                {"cpu": "256", "containerDefinitions": [
                  {"name": "a", "image": "x", "cpu": 1}, {"name": "b", "image": "x", "cpu": 255}]}"""),
            true);
    assertThat(requests(container(r, "a"))).containsEntry("cpu", "1m");
    assertThat(requests(container(r, "b"))).containsEntry("cpu", "249m");
  }

  // ------------------------------------------------------------------ DNS

  /** Two containers with two DNS servers each: four, where a pod may have three. */
  public static final String TWO_BY_TWO_DNS_SERVERS =
      """
      {"networkMode": "bridge", "containerDefinitions": [
        {"name": "a", "image": "x", "memory": 128, "dnsServers": ["10.0.0.2", "10.0.0.3"],
         "dnsSearchDomains": ["Corp.Example"]},
        {"name": "b", "image": "x", "memory": 128, "dnsServers": ["10.0.1.2", "10.0.1.3"],
         "dnsSearchDomains": ["corp.example"]}]}""";

  @Test
  void twoContainersWithTwoDnsServersEachKeepTheFirstThreeAndNameTheDroppedOne() {
    Result r = render(task(TWO_BY_TWO_DNS_SERVERS), true);
    assertThat(r.refusals()).isEmpty();
    assertThat(pod(r).getDnsConfig().getNameservers())
        .containsExactly("10.0.0.2", "10.0.0.3", "10.0.1.2");
    assertThat(pod(r).getDnsConfig().getSearches()).containsExactly("corp.example");
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[1].dnsServers[1]", "DnsServersDropped"),
            tuple("containerDefinitions[1].dnsServers", "DnsSettingsMerged"),
            tuple("containerDefinitions[1].dnsSearchDomains", "DnsSettingsMerged"));
    assertThat(r.warnings().get(0).message()).contains("10.0.1.3", "at most 3");
  }

  @Test
  void searchDomainsStopAtThirtyTwo() {
    String domains =
        IntStream.range(0, 34)
            .mapToObj(k -> "\"d" + k + ".example\"")
            .collect(Collectors.joining(", "));
    Result r = render(task(one("\"dnsSearchDomains\": [" + domains + "]")), true);
    assertThat(pod(r).getDnsConfig().getSearches()).hasSize(32).endsWith("d31.example");
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[0].dnsSearchDomains[32]", "DnsSearchDomainsDropped"),
            tuple("containerDefinitions[0].dnsSearchDomains[33]", "DnsSearchDomainsDropped"));
  }

  @Test
  void searchDomainsStopAt2048Characters() {
    // 9 domains of 248 characters: 8 of them and their spaces are 1991 characters, a ninth 2240
    String label = "a".repeat(62);
    String domains =
        IntStream.range(0, 9)
            .mapToObj(
                k ->
                    "\""
                        + k
                        + label.substring(1)
                        + "."
                        + label
                        + "."
                        + label
                        + "."
                        + "b".repeat(59)
                        + "\"")
            .collect(Collectors.joining(", "));
    Result r = render(task(one("\"dnsSearchDomains\": [" + domains + "]")), true);
    assertThat(pod(r).getDnsConfig().getSearches()).hasSize(8);
    assertThat(String.join(" ", pod(r).getDnsConfig().getSearches()).length())
        .isLessThanOrEqualTo(2048);
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[0].dnsSearchDomains[8]", "DnsSearchDomainsDropped"));
  }

  @Test
  void aDnsServerThatIsNotAnAddressIsRefused() {
    Result r = render(task(one("\"dnsServers\": [\"dns.example.com\"]")), true);
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(tuple("containerDefinitions[0].dnsServers[0]", "InvalidDnsServer"));
    assertThat(pod(r).getDnsConfig()).isNull();
  }

  // ------------------------------------------------------------------ sysctls

  @Test
  void hostNetworkWithANetworkSysctlIsRefused() {
    Result r =
        renderAllowing(
            task(
                """
                        {"networkMode": "host", "containerDefinitions": [
                          {"name": "app", "image": "x", "memory": 128, "systemControls": [
                            {"namespace": "kernel.shm_rmid_forced", "value": "1"},
                            {"namespace": "net.core.somaxconn", "value": "1024"}]}]}"""),
            true,
            true,
            false);
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].systemControls[1].namespace",
                "SystemControlWithHostNamespace"));
    assertThat(pod(r).getSecurityContext().getSysctls())
        .extracting(Sysctl::getName)
        .containsExactly("kernel.shm_rmid_forced");
  }

  @Test
  void ipcHostWithAnIpcSysctlIsRefused() {
    Result r =
        renderAllowing(
            task(
                """
                        {"ipcMode": "host", "containerDefinitions": [
                          {"name": "app", "image": "x", "memory": 128, "systemControls": [
                            {"namespace": "kernel.shmmax", "value": "1"}]}]}"""),
            true,
            false,
            false);
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].systemControls[0].namespace",
                "SystemControlWithHostNamespace"));
  }

  @Test
  void unsafeSysctlsWarnNamingTheFieldAndSafeOnesDoNot() {
    // a Cluster allowing privileged tasks: under Pod Security baseline the guardrails refuse it
    Result r =
        renderAllowing(
            task(
                one(
                    """
                    "systemControls": [
                      {"namespace": "net.ipv4.tcp_syncookies", "value": "1"},
                      {"namespace": "net.core.somaxconn", "value": "1024"}]""")),
            true,
            false,
            false);
    assertThat(r.refusals()).isEmpty();
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple(
                "containerDefinitions[0].systemControls[1].namespace",
                "UnsafeSysctlNeedsKubeletAllowlist"));
    assertThat(r.warnings().get(0).message()).contains("--allowed-unsafe-sysctls");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"vm.swappiness", "Net.Core.Somaxconn", "net..x"})
  void sysctlsTheApiServerOrDockerRefuseAreRefused(String name) {
    Result r =
        renderAllowing(
            task(one("\"systemControls\": [{\"namespace\": \"" + name + "\", \"value\": \"1\"}]")),
            true,
            false,
            false);
    assertThat(r.refusals())
        .extracting(Problem::path, Problem::reason)
        .containsExactly(
            tuple("containerDefinitions[0].systemControls[0].namespace", "InvalidSystemControl"));
    assertThat(pod(r).getSecurityContext()).isNull();
  }

  // ------------------------------------------------------------------ security context

  @Test
  void privilegedWithNoNewPrivilegesDropsAllowPrivilegeEscalationWithAWarning() {
    Result r =
        renderAllowing(
            task(
                one(
                    """
                            "privileged": true,
                            "dockerSecurityOptions": ["no-new-privileges", "label:type:spc_t"]""")),
            true,
            false,
            false);
    assertThat(r.refusals()).isEmpty();
    SecurityContext sc = container(r, "app").getSecurityContext();
    assertThat(sc.getPrivileged()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isNull();
    assertThat(sc.getSeLinuxOptions().getType()).isEqualTo("spc_t");
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactly(
            tuple("containerDefinitions[0].dockerSecurityOptions[0]", "NoNewPrivilegesNotMapped"));
  }

  @Test
  void noNewPrivilegesStaysOnAnUnprivilegedContainer() {
    Result r = render(task(one("\"dockerSecurityOptions\": [\"no-new-privileges:true\"]")), true);
    assertThat(container(r, "app").getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(r.warnings()).isEmpty();
  }

  @ParameterizedTest(name = "user {0}")
  @CsvSource(
      nullValues = "-",
      value = {
        "1000,1000,-,false",
        "1000:2000,1000,2000,false",
        "0:0,0,0,false",
        "nginx,-,-,true",
        "nginx:2000,-,2000,true",
        "1000:staff,1000,-,true",
        "nginx:staff,-,-,true",
        "2147483647,2147483647,-,false",
        "4294967294,-,-,true",
        "1000:4294967294,1000,-,true",
        "99999999999999999999999,-,-,true"
      })
  void usersRenderToIdsTheApiServerAccepts(String user, Long uid, Long gid, boolean warns) {
    Result r = render(task(one("\"user\": \"" + user + "\"")), true);
    SecurityContext sc = container(r, "app").getSecurityContext();
    assertThat(sc == null ? null : sc.getRunAsUser()).isEqualTo(uid);
    assertThat(sc == null ? null : sc.getRunAsGroup()).isEqualTo(gid);
    assertThat(r.warnings())
        .extracting(StatusWarning::field, StatusWarning::reason)
        .containsExactlyElementsOf(
            warns
                ? List.of(tuple("containerDefinitions[0].user", "UserNameNotMapped"))
                : List.of());
  }

  @Test
  void aUserNameWithANumericGroupSaysOnlyTheGroupApplies() {
    Result r = render(task(one("\"user\": \"app:1000\"")), true);
    assertThat(r.warnings().get(0).message())
        .contains("\"app\" is a name", "the image's default user with group 1000 applies");
  }

  // ------------------------------------------------------------------ helpers

  /** A task of one container "app" (bridge, 128 MiB) with the given extra container fields. */
  public static String one(String containerFields) {
    return """
        {"networkMode": "bridge",
         "containerDefinitions": [{"name": "app", "image": "nginx", "memory": 128, %s}]}"""
        .formatted(containerFields);
  }

  /**
   * The pod's effective request as Kubernetes computes it (millicores or MiB): the larger of the
   * regular containers plus sidecars, and of each init container plus the sidecars started before
   * it.
   */
  static long effective(PodSpec pod, String resource) {
    long sidecars = 0;
    long init = 0;
    for (Container c : pod.getInitContainers()) {
      long request = amount(c, resource);
      if ("Always".equals(c.getRestartPolicy())) {
        sidecars += request;
        init = Math.max(init, sidecars);
      } else {
        init = Math.max(init, sidecars + request);
      }
    }
    long regular = sidecars;
    for (Container c : pod.getContainers()) {
      regular += amount(c, resource);
    }
    return Math.max(init, regular);
  }

  private static long amount(Container c, String resource) {
    Quantity q =
        c.getResources() == null || c.getResources().getRequests() == null
            ? null
            : c.getResources().getRequests().get(resource);
    if (q == null) {
      return 0;
    }
    BigDecimal base = Quantity.getAmountInBytes(q);
    return "cpu".equals(resource)
        ? base.movePointRight(3).longValueExact()
        : base.divide(BigDecimal.valueOf(1024L * 1024)).longValueExact();
  }
}
