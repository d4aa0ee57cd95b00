package dev.tidewater.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.cluster.Cluster;
import dev.tidewater.api.v1alpha1.cluster.ClusterSpec;
import dev.tidewater.api.v1alpha1.common.ObjectRef;
import dev.tidewater.api.v1alpha1.common.StatusWarning;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRoute;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.api.v1alpha1.taskrole.TaskRole;
import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import dev.tidewater.backend.kubernetes.children.ServiceChildren;
import dev.tidewater.backend.kubernetes.children.ServiceExternalSecrets;
import dev.tidewater.cli.CustomResourceCheck.Checked;
import dev.tidewater.cli.InputFiles.Input;
import dev.tidewater.cli.MigrationPreview.Finding;
import dev.tidewater.cli.MigrationPreview.Findings;
import dev.tidewater.cli.MigrationPreview.Plan;
import dev.tidewater.model.Problem;
import dev.tidewater.model.TaskDefinitionValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tidewater migrate-plan --to BACKEND FILE...}: what flipping the Clusters of the input to
 * another backend would do to each Service, before anyone flips: the cut-over's counts and steps
 * ({@link MigrationPreview}, with the operator's {@code CutOver} arithmetic), and what the target
 * refuses or does not honour, from the validators {@code validate} runs and, for kubernetes, the
 * renderer {@code render} runs, each with the Cluster as it would be after the flip.
 *
 * <p>A command of its own rather than a {@code render} flag: render prints Kubernetes objects for
 * kubectl and review tools, this prints a plan in both directions, and mixing them would make
 * render's stdout no longer a pure object stream.
 */
@Command(
    name = "migrate-plan",
    mixinStandardHelpOptions = true,
    versionProvider = TidewaterCli.Version.class,
    description = {
      "Show, offline, what flipping the Clusters of the files to another backend (--to) would do"
          + " to each Service: from / to backend, desired count and minimumHealthyPercent, the"
          + " healthy capacity the cut-over keeps, the old side's counts through Shift, the order"
          + " under spec.migration.maxConcurrentServices, whether it stops before Shift (a route"
          + " in routing mode ingress or gateway) and what to do then, and what the target"
          + " backend refuses or does not honour for the Service, its TaskDefinition, TaskRoles"
          + " and routes.",
      "Each refusal is one line on stderr (FILE: KIND/NAME: spec.PATH: message) and the exit"
          + " code is 1: fix them before flipping. The Kubernetes side is checked as render"
          + " checks it with its defaults (Kubernetes 1.34, External Secrets v1); a Cluster not"
          + " in the files is taken at its defaults."
    })
final class MigratePlanCommand implements Callable<Integer> {

  private static final List<String> BACKENDS = List.of("kubernetes", "ecs");
  private static final List<String> FORMATS = List.of("text", "yaml", "json");
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final ObjectMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  /** Marks a resource that names no Cluster (a Cluster or a TenancyPolicy itself). */
  private static final ObjectRef CLUSTERLESS = new ObjectRef();

  @ParentCommand TidewaterCli parent;

  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "BACKEND",
      description = "The backend the Clusters would be flipped to: kubernetes or ecs.")
  String to;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (default), yaml or json.")
  String output;

  @Option(
      names = {"-f", "--filename"},
      paramLabel = "FILE",
      description = "A YAML file or a directory of them (repeatable).")
  List<String> filenames = new ArrayList<>();

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "More files or directories.")
  List<String> files = new ArrayList<>();

  /** A resource of the input and the file it came from. */
  private record Doc(String file, HasMetadata item) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> all = new ArrayList<>(filenames);
    all.addAll(files);
    if (all.isEmpty()) {
      return usage(err, "name at least one file");
    }
    if (!BACKENDS.contains(to)) {
      return usage(err, "--to: \"" + to + "\" is not one of " + String.join(", ", BACKENDS));
    }
    if (!FORMATS.contains(output)) {
      return usage(err, "-o: \"" + output + "\" is not one of " + String.join(", ", FORMATS));
    }
    // every line on stderr, once: a TaskDefinition two Services use is refused once
    Set<String> problems = new LinkedHashSet<>();
    List<Input> inputs = InputFiles.read(all, Set.of(".yaml", ".yml", ".json"), parent.stdin());
    List<Doc> docs = new ArrayList<>();
    for (Input input : inputs) {
      if (input.error() != null) {
        problems.add(input.name() + ": " + input.error());
        continue;
      }
      try {
        for (HasMetadata item : RenderCommand.documents(input.text())) {
          // a document without a name or a spec is reported by the per-file check below
          if (named(item) && hasSpec(item)) docs.add(new Doc(input.name(), item));
        }
      } catch (RuntimeException unreadable) {
        // reported by the per-file check below
      }
    }
    InputClusters now = new InputClusters();
    InputClusters flipped = new InputClusters();
    for (Doc d : docs) {
      if (d.item() instanceof Cluster c) {
        now.add(c);
        flipped.add(flipped(c.getMetadata().getNamespace(), c.getMetadata().getName(), c));
      } else if (d.item() instanceof TenancyPolicy p) {
        now.add(p);
        flipped.add(p);
      }
    }
    for (Doc d : docs) {
      // a Cluster not in the input: its defaults on the target, as render takes them
      ObjectRef ref = clusterRefOf(d.item());
      String namespace = d.item().getMetadata().getNamespace();
      if (ref != CLUSTERLESS && now.resolve(namespace, ref).isEmpty()) {
        flipped.add(flipped(namespace, MigrationPreview.clusterName(ref), null));
      }
    }

    // what the validators refuse on the target, per resource (validate's checks, flipped Cluster)
    Map<String, List<Finding>> refusals = new LinkedHashMap<>();
    for (Input input : inputs) {
      if (input.error() != null) continue;
      List<Checked> results = CustomResourceCheck.check(input.text(), flipped);
      if (results.isEmpty()) {
        problems.add(input.name() + ": no resources in the file");
      }
      for (Checked checked : results) {
        for (Problem p : checked.problems()) {
          problems.add(line(input.name(), checked.label(), p.path(), p.message()));
          refusals
              .computeIfAbsent(
                  ValidateCommand.acrossKey(checked.namespace(), checked.label()),
                  k -> new ArrayList<>())
              .add(new Finding(checked.label(), p.path(), p.reason(), p.message()));
        }
      }
    }
    Map<String, String> fileOf = new LinkedHashMap<>();
    docs.forEach(d -> fileOf.putIfAbsent(keyOf(d.item()), d.file()));
    List<HasMetadata> items = docs.stream().map(Doc::item).toList();
    ValidateCommand.acrossResources(items, flipped)
        .forEach(
            (key, found) -> {
              String label = key.substring(key.indexOf('/') + 1);
              for (Problem p : found) {
                problems.add(line(fileOf.get(key), label, p.path(), p.message()));
                refusals
                    .computeIfAbsent(key, k -> new ArrayList<>())
                    .add(new Finding(label, p.path(), p.reason(), p.message()));
              }
            });

    Map<String, TaskDefinition> taskDefinitions = byKey(docs, TaskDefinition.class);
    Map<String, TaskRole> taskRoles = new LinkedHashMap<>();
    docs.stream()
        .filter(d -> d.item() instanceof TaskRole)
        .forEach(d -> taskRoles.putIfAbsent(d.item().getMetadata().getName(), (TaskRole) d.item()));
    List<EcsService> services = ofKind(docs, EcsService.class);
    List<LoadBalancerRoute> routes = ofKind(docs, LoadBalancerRoute.class);
    Plan plan =
        MigrationPreview.of(
            to,
            services,
            routes,
            now,
            s ->
                findings(
                    s,
                    taskDefinitions,
                    taskRoles,
                    routes,
                    flipped,
                    refusals,
                    fileOf.get(keyOf(s)),
                    problems));
    problems.forEach(err::println);
    print(out, plan);
    out.flush();
    err.flush();
    return problems.isEmpty() ? TidewaterCli.OK : TidewaterCli.INVALID_INPUT;
  }

  /**
   * What the target refuses and does not honour for one Service: the validators' refusals of the
   * Service, its TaskDefinition, the TaskRoles that names, its routes and its Cluster; then, when
   * the Service and its TaskDefinition validate, what the target backend itself adds (kubernetes:
   * the renderer's refusals and warnings; ecs: the TaskDefinition's status warnings). New refusals
   * are added to {@code problems}.
   */
  private Findings findings(
      EcsService s,
      Map<String, TaskDefinition> taskDefinitions,
      Map<String, TaskRole> taskRoles,
      List<LoadBalancerRoute> routes,
      InputClusters flipped,
      Map<String, List<Finding>> refusals,
      String file,
      Set<String> problems) {
    String namespace = s.getMetadata().getNamespace();
    String label = "Service/" + s.getMetadata().getName();
    String tdName =
        s.getSpec().taskDefinitionRef == null ? null : s.getSpec().taskDefinitionRef.name;
    TaskDefinition td =
        tdName == null ? null : taskDefinitions.get(ValidateCommand.acrossKey(namespace, tdName));
    List<String> keys = new ArrayList<>();
    keys.add(ValidateCommand.acrossKey(namespace, label));
    keys.add(
        ValidateCommand.acrossKey(
            namespace, "Cluster/" + MigrationPreview.clusterName(s.getSpec().clusterRef)));
    if (td != null) {
      keys.add(ValidateCommand.acrossKey(namespace, "TaskDefinition/" + tdName));
      for (ObjectRef role :
          List.of(orNone(td.getSpec().taskRoleRef), orNone(td.getSpec().executionRoleRef))) {
        if (role.name != null)
          keys.add(ValidateCommand.acrossKey(namespace, "TaskRole/" + role.name));
      }
    }
    routes.stream()
        .filter(r -> Objects.equals(r.getMetadata().getNamespace(), namespace))
        .filter(r -> s.getMetadata().getName().equals(MigrationPreview.targetOf(r)))
        .forEach(
            r ->
                keys.add(
                    ValidateCommand.acrossKey(
                        namespace, "LoadBalancerRoute/" + r.getMetadata().getName())));
    List<Finding> refused = new ArrayList<>();
    keys.stream().distinct().forEach(k -> refused.addAll(refusals.getOrDefault(k, List.of())));
    List<Finding> warnings = new ArrayList<>();
    if (td == null) {
      // without a name, the schema check has refused the Service already
      if (tdName != null || refused.isEmpty()) {
        String message =
            tdName == null
                ? "missing"
                : "TaskDefinition " + tdName + " is not in the input: the target cannot be checked";
        problems.add(line(file, label, "spec.taskDefinitionRef.name", message));
        refused.add(new Finding(label, "spec.taskDefinitionRef.name", "NotInInput", message));
      }
      return new Findings(distinct(refused), warnings);
    }
    String tdLabel = "TaskDefinition/" + tdName;
    if (refused.stream()
        .anyMatch(f -> f.resource().equals(label) || f.resource().equals(tdLabel))) {
      // as render and the operator: the backend renders only a Service and task that validate
      return new Findings(distinct(refused), warnings);
    }
    ClusterSpec cluster =
        flipped.resolve(namespace, s.getSpec().clusterRef).orElseGet(ClusterSpec::new);
    if ("kubernetes".equals(to)) {
      ServiceChildren.Desired desired =
          RenderCommand.desired(
              s,
              td,
              taskRoles,
              cluster,
              // render's defaults: Kubernetes 1.34 (pod-level resources), ExternalSecret v1
              true,
              ServiceExternalSecrets.GROUP + "/" + ServiceExternalSecrets.VERSIONS.get(0));
      for (Problem p : desired.serviceRefusals()) {
        addRefusal(refused, problems, file, label, label, p);
      }
      for (Problem p : desired.refusals()) {
        addRefusal(refused, problems, file, label, tdLabel, p);
      }
      for (StatusWarning w : desired.warnings()) {
        // autoscaling.* is the Service's own field, the rest the TaskDefinition's (as render says)
        String owner = w.field().startsWith("autoscaling") ? label : tdLabel;
        warnings.add(new Finding(owner, "spec." + w.field(), w.reason(), w.message()));
      }
    } else {
      String tdNamespace = td.getMetadata().getNamespace();
      var context =
          flipped.context(tdNamespace, MigrationPreview.clusterName(td.getSpec().clusterRef));
      for (StatusWarning w : TaskDefinitionValidator.warnings(td.getSpec(), context)) {
        warnings.add(new Finding(tdLabel, w.field(), w.reason(), w.message()));
      }
    }
    return new Findings(distinct(refused), distinct(warnings));
  }

  /**
   * A renderer refusal, unless the validators said it already: both ask {@code
   * PodSecurityGuardrails}, the validator with index paths ({@code containerDefinitions[0]}), the
   * renderer with container names, so the same refusal is known by its reason and message.
   */
  private static void addRefusal(
      List<Finding> refused,
      Set<String> problems,
      String file,
      String serviceLabel,
      String owner,
      Problem p) {
    String field = "spec." + p.path();
    boolean known =
        refused.stream()
            .anyMatch(
                f ->
                    f.resource().equals(owner)
                        && f.reason().equals(p.reason())
                        && f.message().equals(p.message()));
    if (known) return;
    refused.add(new Finding(owner, field, p.reason(), p.message()));
    // as render says it: Service/web: TaskDefinition web: spec.PATH: message
    String where =
        owner.equals(serviceLabel)
            ? serviceLabel
            : serviceLabel + ": " + owner.replaceFirst("/", " ");
    problems.add(line(file, where, field, p.message()));
  }

  private static List<Finding> distinct(List<Finding> findings) {
    return findings.stream().distinct().toList();
  }

  private static ObjectRef orNone(ObjectRef ref) {
    return ref == null ? new ObjectRef() : ref;
  }

  private static String line(String file, String label, String path, String message) {
    String where = path == null || path.isEmpty() ? "" : path + ": ";
    return (file == null ? "" : file + ": ") + label + ": " + where + message;
  }

  /** The Cluster of the input as it would be after the flip: the same spec, the target backend. */
  private Cluster flipped(String namespace, String name, Cluster original) {
    ClusterSpec spec =
        original == null || original.getSpec() == null
            ? new ClusterSpec()
            : JSON.convertValue(original.getSpec(), ClusterSpec.class);
    spec.backend = to;
    Cluster c = new Cluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    c.setSpec(spec);
    return c;
  }

  private static ObjectRef clusterRefOf(HasMetadata item) {
    if (item instanceof EcsService s && s.getSpec() != null) return orNone(s.getSpec().clusterRef);
    if (item instanceof TaskDefinition t && t.getSpec() != null)
      return orNone(t.getSpec().clusterRef);
    if (item instanceof TaskRole r && r.getSpec() != null) return orNone(r.getSpec().clusterRef);
    if (item instanceof LoadBalancerRoute r && r.getSpec() != null)
      return orNone(r.getSpec().clusterRef);
    return CLUSTERLESS;
  }

  private static boolean named(HasMetadata item) {
    return item.getMetadata() != null && item.getMetadata().getName() != null;
  }

  private static boolean hasSpec(HasMetadata item) {
    return !(item instanceof CustomResource<?, ?> r) || r.getSpec() != null;
  }

  private static String keyOf(HasMetadata item) {
    return ValidateCommand.acrossKey(
        item.getMetadata().getNamespace(), item.getKind() + "/" + item.getMetadata().getName());
  }

  private static <T extends HasMetadata> List<T> ofKind(List<Doc> docs, Class<T> type) {
    return docs.stream()
        .map(Doc::item)
        .filter(type::isInstance)
        .map(type::cast)
        .collect(Collectors.toList());
  }

  private static <T extends HasMetadata> Map<String, T> byKey(List<Doc> docs, Class<T> type) {
    Map<String, T> out = new LinkedHashMap<>();
    for (T item : ofKind(docs, type)) {
      out.putIfAbsent(
          ValidateCommand.acrossKey(
              item.getMetadata().getNamespace(), item.getMetadata().getName()),
          item);
    }
    return out;
  }

  private int usage(PrintWriter err, String message) {
    err.println("migrate-plan: " + message);
    err.flush();
    return TidewaterCli.USAGE;
  }

  private void print(PrintWriter out, Plan plan) {
    if (!"text".equals(output)) {
      try {
        out.print(("json".equals(output) ? JSON : YAML).writeValueAsString(plan));
        if ("json".equals(output)) out.println();
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    PlanText.print(out, plan);
  }
}
