package dev.tidewater.cli;

import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.scheduledtask.ScheduledTask;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.task.Task;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.cli.CustomResourceCheck.Checked;
import dev.tidewater.cli.InputFiles.Input;
import dev.tidewater.model.CanonicalTaskDefinition;
import dev.tidewater.model.EcsServiceValidator;
import dev.tidewater.model.Problem;
import dev.tidewater.model.ScheduledTaskRuns;
import dev.tidewater.model.TaskValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tidewater validate FILE...}: checks Tidewater custom resource YAML offline. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    versionProvider = TidewaterCli.Version.class,
    description = {
      "Check Tidewater resources (TaskDefinition, Service, TaskRole, LoadBalancerRoute, Task,"
          + " ScheduledTask, Cluster)"
          + " in YAML files: apiVersion, kind, name, the spec's fields, types, enums and required"
          + " fields, then the kind's validator; a resource whose Cluster (its clusterRef, else"
          + " the Cluster named default) is in the input is checked against that Cluster's"
          + " guardrails and backend, as the operator checks it.",
      "Prints FILE: KIND/NAME: valid on stdout per valid resource, and one line per problem on"
          + " stderr (FILE: KIND/NAME: spec.PATH: message)."
    })
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand TidewaterCli parent;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "YAML files, directories of them (*.yaml, *.yml, *.json), or - for stdin.")
  List<String> files;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean failed = false;
    List<Input> inputs = InputFiles.read(files, Set.of(".yaml", ".yml", ".json"), parent.stdin());
    List<HasMetadata> items = documents(inputs);
    // the Cluster each resource resolves to, when it is in the input: its guardrails apply
    InputClusters clusters = new InputClusters();
    items.stream().filter(Cluster.class::isInstance).forEach(c -> clusters.add((Cluster) c));
    items.stream()
        .filter(TenancyPolicy.class::isInstance)
        .forEach(p -> clusters.add((TenancyPolicy) p));
    Map<String, List<Problem>> across = acrossResources(items, clusters);
    for (Input input : inputs) {
      if (input.error() != null) {
        err.println(input.name() + ": " + input.error());
        failed = true;
        continue;
      }
      List<Checked> results = CustomResourceCheck.check(input.text(), clusters);
      if (results.isEmpty()) {
        err.println(input.name() + ": no resources in the file");
        failed = true;
      }
      for (Checked checked : results) {
        List<Problem> problems = new ArrayList<>(checked.problems());
        if (problems.isEmpty()) {
          problems.addAll(
              across.getOrDefault(acrossKey(checked.namespace(), checked.label()), List.of()));
        }
        if (problems.isEmpty()) {
          out.println(input.name() + ": " + checked.label() + ": valid");
          continue;
        }
        failed = true;
        for (Problem p : problems) {
          String path = p.path().isEmpty() ? "" : p.path() + ": ";
          err.println(input.name() + ": " + checked.label() + ": " + path + p.message());
        }
      }
    }
    out.flush();
    err.flush();
    return failed ? TidewaterCli.INVALID_INPUT : TidewaterCli.OK;
  }

  /**
   * A resource's key among the problems that depend on other resources: its namespace (as the file
   * gives it) and {@code Kind/name}, so two namespaces' resources of one name stay apart.
   */
  static String acrossKey(String namespace, String label) {
    return (namespace == null ? "" : namespace) + "/" + label;
  }

  /** The resources of every readable input, typed by kind (unreadable ones are reported apart). */
  private static List<HasMetadata> documents(List<Input> inputs) {
    List<HasMetadata> items = new ArrayList<>();
    for (Input input : inputs) {
      if (input.error() != null) continue;
      try {
        items.addAll(RenderCommand.documents(input.text()));
      } catch (RuntimeException unreadable) {
        // reported by the per-file check
      }
    }
    return items;
  }

  /**
   * Problems of a Service that depend on what else the input holds: with the TaskDefinition it
   * names, when its Cluster (in the input, else the kubernetes backend) is not of the ecs backend,
   * a utilisation target on a resource the task does not request ({@link
   * EcsServiceValidator#withRevision}); when its Cluster in the input is of the ecs backend, what
   * that backend refuses ({@link EcsServiceValidator#onEcsBackend}). Keyed by the Service's label,
   * paths with "spec.". A Task's or ScheduledTask's container overrides must name containers of the
   * TaskDefinition it runs, when that is in the input ({@link TaskValidator#withRevision}).
   */
  static Map<String, List<Problem>> acrossResources(
      List<HasMetadata> items, InputClusters clusters) {
    Map<String, TaskDefinitionSpec> tasks = new HashMap<>();
    List<EcsService> services = new ArrayList<>();
    for (HasMetadata item : items) {
      if (item instanceof TaskDefinition td && td.getSpec() != null) {
        tasks.put(td.getMetadata().getName(), td.getSpec());
      } else if (item instanceof EcsService s && s.getSpec() != null) {
        services.add(s);
      }
    }
    Map<String, List<Problem>> out = new HashMap<>();
    for (HasMetadata item : items) {
      // a Cluster beyond its namespace's ceiling, when the input holds TenancyPolicies
      if (item instanceof Cluster cluster) {
        List<Problem> refused = clusters.refusalsOf(cluster);
        if (!refused.isEmpty()) {
          out.put(
              acrossKey(
                  cluster.getMetadata().getNamespace(),
                  "Cluster/" + cluster.getMetadata().getName()),
              refused.stream()
                  .map(p -> new Problem("spec." + p.path(), p.reason(), p.message()))
                  .toList());
        }
      }
    }
    for (HasMetadata item : items) {
      List<Problem> problems = new ArrayList<>();
      String label = null;
      if (item instanceof Task task && task.getSpec() != null) {
        label = "Task/" + task.getMetadata().getName();
        TaskDefinitionSpec td = taskDefinitionOf(task.getSpec().taskDefinitionRef, tasks);
        if (td != null) {
          problems.addAll(
              TaskValidator.withRevision(task.getSpec(), CanonicalTaskDefinition.of(td).spec()));
        }
      } else if (item instanceof ScheduledTask scheduled
          && scheduled.getSpec() != null
          && scheduled.getSpec().task != null) {
        label = "ScheduledTask/" + scheduled.getMetadata().getName();
        TaskDefinitionSpec td = taskDefinitionOf(scheduled.getSpec().task.taskDefinitionRef, tasks);
        if (td != null) {
          problems.addAll(
              ScheduledTaskRuns.taskPaths(
                  TaskValidator.withRevision(
                      scheduled.getSpec().task, CanonicalTaskDefinition.of(td).spec())));
        }
      }
      if (!problems.isEmpty()) {
        out.put(
            acrossKey(item.getMetadata().getNamespace(), label),
            problems.stream()
                .map(p -> new Problem("spec." + p.path(), p.reason(), p.message()))
                .toList());
      }
    }
    for (EcsService service : services) {
      var ref = service.getSpec().taskDefinitionRef;
      TaskDefinitionSpec task = ref == null ? null : tasks.get(ref.name);
      boolean ecs =
          clusters
              .resolve(service.getMetadata().getNamespace(), service.getSpec().clusterRef)
              .map(c -> "ecs".equals(c.backend))
              .orElse(false);
      List<Problem> problems = new ArrayList<>();
      if (ecs) {
        // what only the ecs backend refuses (a CODE_DEPLOY controller, ...)
        problems.addAll(EcsServiceValidator.onEcsBackend(service.getSpec()));
      } else if (task != null) {
        problems.addAll(
            EcsServiceValidator.withRevision(
                service.getSpec(), CanonicalTaskDefinition.of(task).spec()));
      }
      if (!problems.isEmpty()) {
        out.put(
            acrossKey(
                service.getMetadata().getNamespace(), "Service/" + service.getMetadata().getName()),
            problems.stream()
                .map(p -> new Problem("spec." + p.path(), p.reason(), p.message()))
                .toList());
      }
    }
    return out;
  }

  private static TaskDefinitionSpec taskDefinitionOf(
      dev.tidewater.api.v1alpha1.service.TaskDefinitionRef ref,
      Map<String, TaskDefinitionSpec> tasks) {
    return ref == null || ref.name == null ? null : tasks.get(ref.name);
  }
}
