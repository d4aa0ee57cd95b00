package dev.tidewater.generated;

import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.Guardrails;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.HostEntry;
import dev.tidewater.api.v1alpha1.taskdefinition.LinuxParameters;
import dev.tidewater.api.v1alpha1.taskdefinition.SystemControl;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.generated.WorkloadGenerator.GeneratedCase;
import java.util.List;

/**
 * The shapes issue 14 reported and those the generated corpus found, written out by hand: each is
 * valid on ECS and was rendered into something the API server refuses. The generator produces all
 * of them too; these keep them named.
 */
final class RegressionCases {

  private RegressionCases() {}

  /** The X-Ray sidecar split of a 0.25 vCPU Fargate task: app 224 + xray-daemon 32 = 256. */
  static GeneratedCase xraySidecar() {
    return sidecarSplit("xray-sidecar", "256", "512", "app", 224, "xray-daemon", 32);
  }

  /** The Datadog agent split of a 0.5 vCPU Fargate task: app 502 + datadog-agent 10 = 512. */
  static GeneratedCase datadogSidecar() {
    return sidecarSplit("datadog-sidecar", "512", "1024", "app", 502, "datadog-agent", 10);
  }

  private static GeneratedCase sidecarSplit(
      String shape, String cpu, String memory, String app, int appCpu, String agent, int agentCpu) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    t.requiresCompatibilities = List.of("FARGATE");
    t.networkMode = "awsvpc";
    t.cpu = cpu;
    t.memory = memory;
    ContainerDefinition a = container(app, "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1");
    a.cpu = appCpu;
    a.essential = true;
    ContainerDefinition b = container(agent, "public.ecr.aws/xray/aws-xray-daemon:3.x");
    b.cpu = agentCpu;
    b.essential = false;
    t.containerDefinitions = List.of(a, b);
    return new GeneratedCase(0, t, service("FARGATE"), allowing(false, false), false, shape);
  }

  /** Two containers with two DNS servers each: ECS sets them per container, a pod has three. */
  static GeneratedCase twoContainersWithTwoDnsServersEach() {
    TaskDefinitionSpec t = ec2("bridge");
    t.containerDefinitions.get(0).dnsServers = List.of("10.0.0.2", "8.8.8.8");
    t.containerDefinitions.get(1).dnsServers = List.of("1.1.1.1", "169.254.169.253");
    return new GeneratedCase(0, t, service("EC2"), allowing(false, false), false, "dns");
  }

  /** networkMode host and a net.* sysctl, which a pod on the host's network may not set. */
  static GeneratedCase hostNetworkWithNetSysctl() {
    TaskDefinitionSpec t = ec2("host");
    SystemControl s = new SystemControl();
    s.namespace = "net.core.somaxconn";
    s.value = "1024";
    t.containerDefinitions.get(0).systemControls = List.of(s);
    // privileged allowed too: an unsafe sysctl is a guardrail refusal of its own under baseline
    return new GeneratedCase(0, t, service("EC2"), allowing(true, true), false, "host-sysctl");
  }

  /** A privileged container with no-new-privileges, which Kubernetes calls a contradiction. */
  static GeneratedCase privilegedWithNoNewPrivileges() {
    TaskDefinitionSpec t = ec2("bridge");
    t.containerDefinitions.get(0).privileged = true;
    t.containerDefinitions.get(0).dockerSecurityOptions = List.of("no-new-privileges");
    return new GeneratedCase(0, t, service("EC2"), allowing(true, false), false, "privileged-nnp");
  }

  // What the generated corpus found beyond the shapes.

  /** An extraHosts host name in capitals (ECS takes any string; a HostAlias wants a DNS name). */
  static GeneratedCase upperCaseExtraHost() {
    TaskDefinitionSpec t = ec2("bridge");
    HostEntry h = new HostEntry();
    h.hostname = "Legacy-Host";
    h.ipAddress = "fd00::10";
    t.containerDefinitions.get(0).extraHosts = List.of(h);
    return new GeneratedCase(0, t, service("EC2"), allowing(false, false), false, "extra-host");
  }

  /** A DNS search domain in capitals, which ECS's pattern allows. */
  static GeneratedCase upperCaseSearchDomain() {
    TaskDefinitionSpec t = ec2("bridge");
    t.containerDefinitions.get(0).dnsSearchDomains = List.of("Corp.Example.COM");
    return new GeneratedCase(0, t, service("EC2"), allowing(false, false), false, "search");
  }

  /** A uid above 2^31 - 1: a valid Linux uid, out of the pod API's range. */
  static GeneratedCase uidAboveTheApisRange() {
    TaskDefinitionSpec t = ec2("bridge");
    t.containerDefinitions.get(0).user = "3000000000";
    return new GeneratedCase(0, t, service("EC2"), allowing(false, false), false, "uid");
  }

  /** initProcessEnabled in the host's PID namespace. */
  static GeneratedCase initProcessWithHostPid() {
    TaskDefinitionSpec t = ec2("bridge");
    t.pidMode = "host";
    LinuxParameters lp = new LinuxParameters();
    lp.initProcessEnabled = true;
    t.containerDefinitions.get(0).linuxParameters = lp;
    return new GeneratedCase(0, t, service("EC2"), allowing(true, false), false, "init-host-pid");
  }

  private static TaskDefinitionSpec ec2(String networkMode) {
    TaskDefinitionSpec t = new TaskDefinitionSpec();
    t.requiresCompatibilities = List.of("EC2");
    t.networkMode = networkMode;
    ContainerDefinition a = container("app", "public.ecr.aws/nginx/nginx:1.27");
    a.memory = 256;
    ContainerDefinition b = container("agent", "public.ecr.aws/datadog/agent:7");
    b.memory = 128;
    t.containerDefinitions = List.of(a, b);
    return t;
  }

  private static ContainerDefinition container(String name, String image) {
    ContainerDefinition c = new ContainerDefinition();
    c.name = name;
    c.image = image;
    return c;
  }

  private static EcsServiceSpec service(String launchType) {
    EcsServiceSpec s = new EcsServiceSpec();
    s.taskDefinitionRef = new TaskDefinitionRef();
    s.taskDefinitionRef.name = WorkloadGenerator.TASK_DEFINITION_NAME;
    s.launchType = launchType;
    s.desiredCount = 1;
    return s;
  }

  private static ClusterSpec allowing(boolean privileged, boolean hostNetwork) {
    ClusterSpec c = new ClusterSpec();
    c.backend = "kubernetes";
    c.guardrails = new Guardrails();
    if (privileged) c.guardrails.allowPrivileged = true;
    if (hostNetwork) c.guardrails.allowHostNetwork = true;
    return c;
  }
}
