package dev.tidewater.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.service.EcsServiceSpec;
import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.TaskDefinitionValidator;
import dev.tidewater.model.TidewaterLabels;
import dev.tidewater.model.ValidationContext;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.JsonTrees;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark's workloads: a fixed rotation of corpus task definitions ({@link EcsCorpus}) with
 * exactly two containers that the kubernetes backend runs as they are under a default Cluster and
 * whose pods any plain linux/amd64 kwok node takes (no host ports or host network, no secret,
 * config map or host volumes, no node selector beyond linux/amd64, no GPU). Workload {@code i} is
 * the TaskDefinition and Service {@code bench-i} running rotation entry {@code i mod size}, under
 * its own family; its baseline is the Deployment {@code tidewater render} prints for it.
 */
final class BenchWorkloads {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final Set<String> PLAIN_NODE_SELECTOR_KEYS =
      Set.of("kubernetes.io/os", "kubernetes.io/arch");

  /** One rotation entry: the corpus file and its spec. */
  record Template(String file, TaskDefinitionSpec spec) {}

  private final List<Template> rotation;

  private BenchWorkloads(List<Template> rotation) {
    if (rotation.isEmpty()) {
      throw new IllegalStateException("no corpus task definition fits the benchmark");
    }
    this.rotation = rotation;
  }

  /** The rotation drawn from the corpus, in corpus file order. */
  static BenchWorkloads fromCorpus() {
    List<Template> out = new ArrayList<>();
    for (EcsCorpus.Entry e : EcsCorpus.withoutPlaceholders()) {
      TaskDefinitionSpec spec = applicable(e);
      if (fits(spec)) {
        out.add(new Template(e.file(), spec));
      }
    }
    return new BenchWorkloads(out);
  }

  /**
   * A corpus file's spec as a user would apply it: without the enum fields the AWS SDKs write as
   * {@code ""} when unset (ECS reads them as unset, the CRD's enums refuse them).
   */
  static TaskDefinitionSpec applicable(EcsCorpus.Entry e) {
    try {
      return EcsCorpus.MAPPER.treeToValue(
          JsonTrees.withoutEmptyStrings(e.json().deepCopy(), EcsCorpus.EMPTY_ENUM_FIELDS),
          TaskDefinitionSpec.class);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(e.file() + " does not map to TaskDefinitionSpec", ex);
    }
  }

  List<Template> rotation() {
    return rotation;
  }

  static String name(int i) {
    return "bench-" + i;
  }

  /** Whether a corpus spec runs unchanged as a benchmark workload (see the class comment). */
  static boolean fits(TaskDefinitionSpec spec) {
    return misfit(spec) == null;
  }

  /** Why a corpus spec is no benchmark workload, or null when it is one. */
  static String misfit(TaskDefinitionSpec spec) {
    int containers = spec.containerDefinitions == null ? 0 : spec.containerDefinitions.size();
    if (containers != 2) return containers + " container(s)";
    ClusterSpec cluster = new ClusterSpec();
    var problems =
        new TaskDefinitionValidator().validate(spec, ValidationContext.forCluster(cluster));
    if (!problems.isEmpty()) return "invalid under a default Cluster: " + problems.get(0);
    ServiceChildren.Desired desired;
    try {
      desired = render(service("fit", "fit"), spec);
    } catch (RuntimeException renderFailed) {
      return "render failed: " + renderFailed;
    }
    if (!desired.refusals().isEmpty()) return "refused: " + desired.refusals().get(0);
    if (desired.objects().size() != 1 || !(desired.objects().get(0) instanceof Deployment d)) {
      return "renders more than one Deployment";
    }
    return unschedulableAnywhere(d.getSpec().getTemplate().getSpec());
  }

  private static String unschedulableAnywhere(PodSpec pod) {
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      return "host namespaces";
    }
    if (pod.getAffinity() != null
        || (pod.getTolerations() != null && !pod.getTolerations().isEmpty())) {
      return "affinity or tolerations";
    }
    if (pod.getServiceAccountName() != null) return "a task role's ServiceAccount";
    Map<String, String> selector = pod.getNodeSelector() == null ? Map.of() : pod.getNodeSelector();
    for (var e : selector.entrySet()) {
      if (!PLAIN_NODE_SELECTOR_KEYS.contains(e.getKey())
          || !Set.of("linux", "amd64", "arm64").contains(e.getValue())) {
        return "node selector " + e;
      }
    }
    for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      if (v.getEmptyDir() == null) return "volume " + v.getName() + " is no emptyDir";
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) containers.addAll(pod.getInitContainers());
    for (Container c : containers) {
      if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null)) {
        return "host port";
      }
      if (c.getEnvFrom() != null && !c.getEnvFrom().isEmpty()) return "envFrom";
      for (EnvVar env : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
        if (env.getValueFrom() != null
            && (env.getValueFrom().getSecretKeyRef() != null
                || env.getValueFrom().getConfigMapKeyRef() != null)) {
          return "secret or config map env";
        }
      }
      if (c.getResources() != null
          && Stream.of(c.getResources().getLimits(), c.getResources().getRequests())
              .filter(m -> m != null)
              .anyMatch(m -> m.keySet().stream().anyMatch(k -> k.contains("gpu")))) {
        return "GPU";
      }
    }
    return null;
  }

  /** The template of workload {@code i}. */
  Template template(int i) {
    return rotation.get(i % rotation.size());
  }

  /** TaskDefinition {@code bench-i}: the rotation's spec under family {@code bench-i}. */
  TaskDefinition taskDefinition(int i) {
    TaskDefinitionSpec spec = JSON.clone(template(i).spec());
    spec.family = name(i);
    TaskDefinition td = new TaskDefinition();
    td.getMetadata().setName(name(i));
    td.setSpec(spec);
    return td;
  }

  /** Service {@code bench-i}: one task of TaskDefinition {@code bench-i}. */
  EcsService service(int i) {
    return service(name(i), name(i));
  }

  private static EcsService service(String name, String taskDefinition) {
    EcsService s = new EcsService();
    s.getMetadata().setName(name);
    EcsServiceSpec spec = new EcsServiceSpec();
    spec.taskDefinitionRef = new TaskDefinitionRef();
    spec.taskDefinitionRef.name = taskDefinition;
    spec.desiredCount = 1;
    s.setSpec(spec);
    return s;
  }

  /**
   * The baseline of workload {@code i}: the Deployment the kubernetes backend renders for it (as
   * {@code tidewater render} prints it), without the managed-by label on the Deployment itself so
   * that the running operator's label-filtered informers do not cache the baseline's objects.
   */
  Deployment baseline(int i) {
    TaskDefinition td = taskDefinition(i);
    Deployment d = (Deployment) render(service(i), td.getSpec()).objects().get(0);
    d.getMetadata().getLabels().remove(TidewaterLabels.MANAGED_BY);
    return d;
  }

  private static ServiceChildren.Desired render(EcsService service, TaskDefinitionSpec spec) {
    // revision 1 and pod-level resources on, as the operator renders against a 1.34+ API server
    return ServiceChildren.desired(
        new ServiceChildren.Inputs(
            service,
            new ClusterSpec(),
            new ServicePlan(
                1,
                CanonicalTaskDefinition.of(spec).spec(),
                service.getSpec().taskDefinitionRef.name,
                null),
            true,
            null,
            null));
  }

  /**
   * TaskDefinition {@code bench-i} of the ecs backend: a two-container Fargate task (awsvpc), an
   * application and an X-Ray daemon sidecar, of its own family (derived from namespace and name).
   */
  static String ecsTaskDefinition(int i) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: %s
        spec:
          requiresCompatibilities: [FARGATE]
          networkMode: awsvpc
          cpu: "256"
          memory: "512"
          containerDefinitions:
          - name: app
            image: public.ecr.aws/nginx/nginx:1.27
            essential: true
            portMappings:
            - containerPort: 8080
            environment:
            - {name: WORKLOAD, value: "%s"}
          - name: xray-daemon
            image: public.ecr.aws/xray/aws-xray-daemon:3.3
            essential: false
            portMappings:
            - {containerPort: 2000, protocol: udp}
        """
        .formatted(name(i), name(i));
  }

  /** Service {@code bench-i} of the ecs backend: one Fargate task in the given subnets. */
  static String ecsService(int i, List<String> subnets, String securityGroup) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: %s
        spec:
          taskDefinitionRef:
            name: %s
          launchType: FARGATE
          desiredCount: 1
          networkConfiguration:
            awsvpcConfiguration:
              subnets: [%s]
              securityGroups: [%s]
              assignPublicIp: DISABLED
        """
        .formatted(name(i), name(i), String.join(", ", subnets), securityGroup);
  }

  /**
   * LoadBalancerRoute {@code bench-route-j} of the ecs backend: on the HTTP listener at {@code
   * port} of load balancer {@code loadBalancer}, one rule at {@code priority} for path /bench-j/*,
   * forwarding to port 8080 of the app container of Service bench-(j mod {@code services}).
   */
  static String route(int j, String loadBalancer, int port, int priority, int services) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: bench-route-%d
        spec:
          loadBalancer:
            name: %s
          listener:
            port: %d
            protocol: HTTP
          target:
            serviceRef:
              name: %s
            containerName: app
            containerPort: 8080
          rules:
          - priority: %d
            conditions:
              pathPatterns: ["/bench-%d/*"]
        """
        .formatted(j, loadBalancer, port, name(j % services), priority, j);
  }
}
