package dev.tidewater.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.cluster.RoutingSettings;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTaskSpec;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.backend.ServicePlan;
import dev.tidewater.backend.TaskBackend;
import dev.tidewater.backend.kubernetes.KubernetesScheduledTaskBackend;
import dev.tidewater.backend.kubernetes.RouteObjects;
import dev.tidewater.backend.kubernetes.children.ScheduledTaskCronJob;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.ServiceExternalSecrets;
import dev.tidewater.backend.kubernetes.children.TaskJob;
import dev.tidewater.backend.kubernetes.children.TaskRoleServiceAccount;
import dev.tidewater.cli.CustomResourceCheck.Checked;
import dev.tidewater.cli.InputFiles.Input;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.CronJobScheduleTranslator.CronJobSchedule;
import dev.tidewater.model.CronJobScheduleTranslator.Translation;
import dev.tidewater.model.ListenerRulePlanner;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskValidator;
import dev.tidewater.model.TaskRoleNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tidewater render -f FILE|DIR}: the Kubernetes objects the kubernetes backend would apply
 * for the Services, Tasks and ScheduledTasks in the files (with their TaskDefinitions, TaskRoles
 * and Cluster), for review in a GitOps pull request. Offline: revision numbers are the pinned one
 * or 1. The objects come from the same functions the operator applies ({@link
 * ServiceChildren#desired}, {@link TaskJob#desired}, {@link ScheduledTaskCronJob#desired}, {@link
 * TaskRoleServiceAccount#desired}, {@link RouteObjects#desired}); what the operator learns from the
 * API server is given by flags.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    versionProvider = TidewaterCli.Version.class,
    description = {
      "Print the Kubernetes objects (ExternalSecrets, Deployment / DaemonSet, HPA, PDB,"
          + " ServiceAccount, route objects, a Task's Job, a ScheduledTask's CronJob) the"
          + " kubernetes backend would apply for the Tidewater"
          + " resources in the files: byte for byte what the operator sends, less owner"
          + " references (they need the uid of the applied resource) and its applied-hash"
          + " annotation.",
      "Invalid input is reported as by validate, one line per problem on stderr, exit 1."
    })
final class RenderCommand implements Callable<Integer> {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper YAML = new YAMLMapper();

  @ParentCommand TidewaterCli parent;

  @Spec CommandSpec spec;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "A YAML file or a directory of them (repeatable).")
  List<String> filenames = new ArrayList<>();

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "More files or directories.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--kubernetes-version",
      paramLabel = "MAJOR.MINOR",
      defaultValue = "1.34",
      description =
          "The API server's version, as the operator reads it (default: ${DEFAULT-VALUE}). Below"
              + " 1.34 there are no pod-level resources: task cpu / memory are shared out over"
              + " the containers, as the operator does there.")
  String kubernetesVersion;

  @Option(
      names = "--external-secrets",
      paramLabel = "VERSION",
      defaultValue = "v1",
      description =
          "The ExternalSecret version the External Secrets Operator serves: v1 (default),"
              + " v1beta1, or none when it is not installed (SSM / Secrets Manager secrets are"
              + " then refused with the field, as the operator refuses them).")
  String externalSecrets;

  private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(\\..*)?");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> all = new ArrayList<>(filenames);
    all.addAll(files);
    if (all.isEmpty()) {
      err.println("render: name at least one file with -f FILE");
      err.flush();
      return TidewaterCli.USAGE;
    }
    Matcher version = VERSION.matcher(kubernetesVersion.strip());
    if (!version.matches()) {
      err.println("render: --kubernetes-version: \"" + kubernetesVersion + "\" is not MAJOR.MINOR");
      err.flush();
      return TidewaterCli.USAGE;
    }
    boolean podLevelResources =
        ServiceChildren.podLevelResources(
            Integer.parseInt(version.group(1)), Integer.parseInt(version.group(2)));
    String externalSecretApiVersion;
    if ("none".equals(externalSecrets)) {
      externalSecretApiVersion = null;
    } else if (ServiceExternalSecrets.VERSIONS.contains(externalSecrets)) {
      externalSecretApiVersion = ServiceExternalSecrets.GROUP + "/" + externalSecrets;
    } else {
      err.println(
          "render: --external-secrets: \""
              + externalSecrets
              + "\" is not one of "
              + String.join(", ", ServiceExternalSecrets.VERSIONS)
              + ", none");
      err.flush();
      return TidewaterCli.USAGE;
    }
    boolean failed = false;
    InputClusters clusters = new InputClusters();
    Map<String, TaskDefinition> taskDefinitions = new LinkedHashMap<>();
    Map<String, TaskRole> taskRoles = new LinkedHashMap<>();
    List<EcsService> services = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    List<ScheduledTask> scheduledTasks = new ArrayList<>();
    List<LoadBalancerRoute> routes = new ArrayList<>();
    for (Input input : InputFiles.read(all, Set.of(".yaml", ".yml", ".json"), parent.stdin())) {
      if (input.error() != null) {
        err.println(input.name() + ": " + input.error());
        failed = true;
        continue;
      }
      for (Checked checked : CustomResourceCheck.check(input.text())) {
        for (Problem p : checked.problems()) {
          String path = p.path().isEmpty() ? "" : p.path() + ": ";
          err.println(input.name() + ": " + checked.label() + ": " + path + p.message());
          failed = true;
        }
      }
      if (failed) continue;
      for (HasMetadata item : documents(input.text())) {
        String name = item.getMetadata().getName();
        if (item instanceof Cluster c) clusters.add(c);
        else if (item instanceof TaskDefinition td) taskDefinitions.put(name, td);
        else if (item instanceof TaskRole r) taskRoles.put(name, r);
        else if (item instanceof EcsService s) services.add(s);
        else if (item instanceof Task t) tasks.add(t);
        else if (item instanceof ScheduledTask st) scheduledTasks.add(st);
        else if (item instanceof LoadBalancerRoute r) routes.add(r);
        else if (item instanceof TenancyPolicy p) clusters.add(p);
      }
    }
    if (failed) {
      err.flush();
      return TidewaterCli.INVALID_INPUT;
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (TaskRole role : taskRoles.values()) {
      // without the IRSA annotation: the role's ARN holds the account AWS assigns
      objects.add(
          TaskRoleServiceAccount.desired(role, TaskRoleNames.serviceAccountName(role), null));
    }
    for (EcsService service : services) {
      String label = "Service/" + service.getMetadata().getName();
      TaskDefinition td = taskDefinitions.get(service.getSpec().taskDefinitionRef.name);
      if (td == null) {
        err.println(
            label
                + ": spec.taskDefinitionRef.name: TaskDefinition "
                + service.getSpec().taskDefinitionRef.name
                + " is not in the input");
        failed = true;
        continue;
      }
      // a Cluster not in the input: the defaults (strict guardrails), as for a missing default
      ClusterSpec cluster =
          clusters
              .resolve(service.getMetadata().getNamespace(), service.getSpec().clusterRef)
              .orElseGet(ClusterSpec::new);
      var desired =
          desired(service, td, taskRoles, cluster, podLevelResources, externalSecretApiVersion);
      for (Problem p : desired.serviceRefusals()) {
        err.println(label + ": spec." + p);
        failed = true;
      }
      for (Problem p : desired.refusals()) {
        err.println(label + ": TaskDefinition " + td.getMetadata().getName() + ": spec." + p);
        failed = true;
      }
      desired
          .warnings()
          .forEach(w -> out.println("# " + label + ": spec." + w.field() + ": " + w.message()));
      objects.addAll(desired.objects());
    }
    for (Task task : tasks) {
      failed |=
          !renderTask(
              out, err, task, taskDefinitions, taskRoles, clusters, podLevelResources, objects);
    }
    Instant now = Instant.now();
    for (ScheduledTask scheduled : scheduledTasks) {
      failed |=
          !renderScheduledTask(
              out,
              err,
              scheduled,
              taskDefinitions,
              taskRoles,
              clusters,
              podLevelResources,
              now,
              objects);
    }
    objects.addAll(routeObjects(routes, clusters));
    for (HasMetadata o : objects) {
      out.print(SERIALIZATION.asYaml(o));
    }
    out.flush();
    err.flush();
    return failed ? TidewaterCli.INVALID_INPUT : TidewaterCli.OK;
  }

  /**
   * The Job of a Task of the input (the function the operator applies with, {@link TaskJob}), its
   * TaskDefinition's first revision unless the Task pins one; false when it cannot be rendered.
   */
  private static boolean renderTask(
      PrintWriter out,
      PrintWriter err,
      Task task,
      Map<String, TaskDefinition> taskDefinitions,
      Map<String, TaskRole> taskRoles,
      InputClusters clusters,
      boolean podLevelResources,
      List<HasMetadata> objects) {
    String label = "Task/" + task.getMetadata().getName();
    TaskDefinition td = taskDefinitions.get(task.getSpec().taskDefinitionRef.name);
    if (td == null) {
      err.println(
          label
              + ": spec.taskDefinitionRef.name: TaskDefinition "
              + task.getSpec().taskDefinitionRef.name
              + " is not in the input");
      return false;
    }
    ClusterSpec cluster =
        clusters
            .resolve(task.getMetadata().getNamespace(), task.getSpec().clusterRef)
            .orElseGet(ClusterSpec::new);
    String serviceAccount = serviceAccountOf(td, taskRoles);
    int revision =
        task.getSpec().taskDefinitionRef.revision == null
            ? 1
            : task.getSpec().taskDefinitionRef.revision;
    TaskJob.Desired desired =
        TaskJob.desired(
            new TaskJob.Inputs(
                task,
                cluster,
                new TaskBackend.Plan(
                    revision,
                    CanonicalTaskDefinition.of(td.getSpec()).spec(),
                    td.getMetadata().getName(),
                    serviceAccount,
                    null),
                podLevelResources));
    desired
        .warnings()
        .forEach(w -> out.println("# " + label + ": " + w.field() + ": " + w.message()));
    for (Problem p : desired.refusals()) {
      err.println(label + ": spec." + p);
    }
    if (desired.job() == null) return false;
    objects.add(desired.job());
    return true;
  }

  /**
   * The CronJob of a ScheduledTask of the input (the function the operator applies with, {@link
   * ScheduledTaskCronJob}), its schedule translated as the operator translates it and suspended as
   * the operator's window says at {@code now}. Offline there is no creation time: a rate without
   * startDate is phased from the whole hour / day, where the operator phases it from the resource's
   * creation. False when it cannot be rendered.
   */
  private static boolean renderScheduledTask(
      PrintWriter out,
      PrintWriter err,
      ScheduledTask scheduled,
      Map<String, TaskDefinition> taskDefinitions,
      Map<String, TaskRole> taskRoles,
      InputClusters clusters,
      boolean podLevelResources,
      Instant now,
      List<HasMetadata> objects) {
    String label = "ScheduledTask/" + scheduled.getMetadata().getName();
    ScheduledTaskSpec spec = scheduled.getSpec();
    TaskDefinition td = taskDefinitions.get(spec.task.taskDefinitionRef.name);
    if (td == null) {
      err.println(
          label
              + ": spec.task.taskDefinitionRef.name: TaskDefinition "
              + spec.task.taskDefinitionRef.name
              + " is not in the input");
      return false;
    }
    Translation translation = ScheduledTaskValidator.translate(spec, Optional.empty());
    if (translation.cronJob().isEmpty()) {
      for (Problem p : translation.problems()) err.println(label + ": spec." + p);
      return false;
    }
    CronJobSchedule schedule = translation.cronJob().get();
    ClusterSpec cluster =
        clusters
            .resolve(scheduled.getMetadata().getNamespace(), spec.clusterRef)
            .orElseGet(ClusterSpec::new);
    int revision =
        spec.task.taskDefinitionRef.revision == null ? 1 : spec.task.taskDefinitionRef.revision;
    boolean suspend =
        KubernetesScheduledTaskBackend.window(spec, schedule, false, now).why() != null;
    ScheduledTaskCronJob.Desired desired =
        ScheduledTaskCronJob.desired(
            new ScheduledTaskCronJob.Inputs(
                scheduled,
                cluster,
                new TaskBackend.Plan(
                    revision,
                    CanonicalTaskDefinition.of(td.getSpec()).spec(),
                    td.getMetadata().getName(),
                    serviceAccountOf(td, taskRoles),
                    null),
                podLevelResources,
                schedule,
                suspend));
    translation
        .warnings()
        .forEach(w -> out.println("# " + label + ": spec." + w.field() + ": " + w.message()));
    desired
        .warnings()
        .forEach(w -> out.println("# " + label + ": " + w.field() + ": " + w.message()));
    for (Problem p : desired.refusals()) {
      err.println(label + ": spec." + p);
    }
    if (desired.cronJob() == null) return false;
    objects.add(desired.cronJob());
    return true;
  }

  /**
   * The ServiceAccount of a TaskDefinition's task role offline: that of the TaskRole in the input,
   * else the role's name; null without a role.
   */
  private static String serviceAccountOf(TaskDefinition td, Map<String, TaskRole> taskRoles) {
    if (td.getSpec().taskRoleRef == null) return null;
    TaskRole role = taskRoles.get(td.getSpec().taskRoleRef.name);
    return role != null ? TaskRoleNames.serviceAccountName(role) : td.getSpec().taskRoleRef.name;
  }

  /**
   * What the kubernetes backend would apply for one Service of the input on {@code cluster}: its
   * objects, warnings and refusals, from the operator's own {@link ServiceChildren#desired}.
   * Offline, the revision is the pinned one or 1, and the ServiceAccount that of the TaskRole in
   * the input (else the role's name). {@code migrate-plan --to kubernetes} asks here too.
   */
  static ServiceChildren.Desired desired(
      EcsService service,
      TaskDefinition td,
      Map<String, TaskRole> taskRoles,
      ClusterSpec cluster,
      boolean podLevelResources,
      String externalSecretApiVersion) {
    String serviceAccount = serviceAccountOf(td, taskRoles);
    int revision =
        service.getSpec().taskDefinitionRef.revision == null
            ? 1
            : service.getSpec().taskDefinitionRef.revision;
    return ServiceChildren.desired(
        new ServiceChildren.Inputs(
            service,
            cluster,
            new ServicePlan(
                revision,
                CanonicalTaskDefinition.of(td.getSpec()).spec(),
                td.getMetadata().getName(),
                serviceAccount),
            podLevelResources,
            externalSecretApiVersion,
            null));
  }

  /**
   * The Kubernetes objects of the routes in the input, per their Cluster's routing mode, with the
   * priorities and group orders the operator would plan among them (aws mode: without the
   * TargetGroupBinding, whose target group exists only once the operator made it).
   */
  private static List<HasMetadata> routeObjects(
      List<LoadBalancerRoute> routes, InputClusters clusters) {
    for (LoadBalancerRoute r : routes) {
      if (r.getMetadata().getNamespace() == null) {
        r.getMetadata().setNamespace(""); // the planner orders by namespace; files have none
      }
    }
    List<ListenerRulePlanner.Route> planned =
        routes.stream()
            .filter(r -> r.getSpec() != null)
            .map(r -> ListenerRulePlanner.route(r, clusterSpec(r, clusters)))
            .toList();
    Map<String, ListenerRulePlanner.Plan> plans = new ListenerRulePlanner().plan(planned);
    List<HasMetadata> objects = new ArrayList<>();
    for (ListenerRulePlanner.Route route : planned) {
      LoadBalancerRoute r =
          routes.stream()
              .filter(x -> x.getMetadata().getName().equals(route.name()))
              .findFirst()
              .get();
      ListenerRulePlanner.Plan plan = plans.get(route.namespace() + "/" + route.name());
      if (plan == null || plan.conflict().isPresent()) continue;
      ClusterSpec clusterSpec = clusterSpec(r, clusters);
      RoutingSettings routing = clusterSpec == null ? null : clusterSpec.routing;
      List<Integer> orders =
          "ingress".equals(RouteObjects.mode(routing)) && !RouteObjects.network(r.getSpec())
              ? ListenerRulePlanner.groupOrdersOf(route, plan, planned, plans)
              : List.of();
      for (HasMetadata o :
          RouteObjects.desired(new RouteObjects.Input(r, routing, plan.priorities(), orders, null))
              .objects()) {
        if ("".equals(o.getMetadata().getNamespace())) o.getMetadata().setNamespace(null);
        objects.add(o);
      }
    }
    return objects;
  }

  /** The spec of the Cluster in the input a route uses; null for the implicit default. */
  private static ClusterSpec clusterSpec(LoadBalancerRoute r, InputClusters clusters) {
    return clusters.resolve(r.getMetadata().getNamespace(), r.getSpec().clusterRef).orElse(null);
  }

  /** The resources of one file's text, typed by kind (others as generic resources). */
  static List<HasMetadata> documents(String text) {
    List<HasMetadata> items = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && doc.isObject()) {
          items.add(typed(SERIALIZATION.convertValue(doc, GenericKubernetesResource.class)));
        }
      }
    } catch (IOException e) {
      // the text passed CustomResourceCheck, which parsed it already
      throw new UncheckedIOException(e);
    }
    return items;
  }

  private static HasMetadata typed(GenericKubernetesResource generic) {
    Class<? extends HasMetadata> type =
        switch (generic.getKind()) {
          case "Cluster" -> Cluster.class;
          case "TaskDefinition" -> TaskDefinition.class;
          case "TaskRole" -> TaskRole.class;
          case "Service" -> EcsService.class;
          case "Task" -> Task.class;
          case "ScheduledTask" -> ScheduledTask.class;
          case "LoadBalancerRoute" -> LoadBalancerRoute.class;
          case "TenancyPolicy" -> TenancyPolicy.class;
          default -> null;
        };
    return type == null ? generic : SERIALIZATION.convertValue(generic, type);
  }
}
