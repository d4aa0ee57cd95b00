package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.model.CutOver;
import dev.tidewater.testing.EcsCorpus;
import dev.tidewater.testing.NeedsEcsCorpus;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code tidewater migrate-plan}: what a flip would do to each Service, offline — the cut-over's
 * counts and steps as {@link CutOver} computes them, the order under maxConcurrentServices, a route
 * that stops it before Shift, and what the target backend refuses (non-zero exit, one stderr line
 * per problem naming the field).
 */
class MigratePlanCommandTest {

  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final ObjectMapper YAML = new YAMLMapper();

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }

    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }

    JsonNode service(String name) throws Exception {
      for (JsonNode s : json().get("services")) {
        if (s.get("name").asText().equals(name)) return s;
      }
      throw new AssertionError("no Service " + name + " in " + out);
    }
  }

  static Run plan(String yaml, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of("migrate-plan"));
    all.addAll(List.of(args));
    all.add("-");
    int code =
        TidewaterCli.execute(
            all.toArray(String[]::new),
            new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  static String cluster(String name, String backend, String more) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: %s
        spec:
          backend: %s
        %s---
        """
        .formatted(name, backend, more.indent(2));
  }

  static String taskDefinition(String name, String containerExtra) {
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
            image: public.ecr.aws/nginx/nginx-unprivileged:1.27
            essential: true
            portMappings:
            - containerPort: 8080
        %s---
        """
        .formatted(name, containerExtra.indent(4));
  }

  static String service(String name, String spec) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: %s
        spec:
          taskDefinitionRef:
            name: web
          launchType: FARGATE
        %s---
        """
        .formatted(name, spec.indent(2));
  }

  static String route(String name, String service) {
    return """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: %s
        spec:
          loadBalancer:
            name: public
          listener:
            port: 80
          target:
            serviceRef:
              name: %s
            containerName: app
            containerPort: 8080
          rules:
          - priority: 10
            conditions:
              pathPatterns: ["/*"]
        ---
        """
        .formatted(name, service);
  }

  private static final String WEB = taskDefinition("web", "");

  @Test
  void aRouteInIngressModeStopsTheCutOverBeforeShiftAndSaysWhatToDo() throws Exception {
    String input =
        cluster("default", "ecs", "")
            + WEB
            + service("web", "desiredCount: 10")
            + route("web", "web");

    Run json = plan(input, "--to", "kubernetes", "-o", "json");

    assertThat(json.err()).isEmpty();
    assertThat(json.exitCode()).isZero();
    JsonNode web = json.service("web");
    assertThat(web.get("from").asText()).isEqualTo("ecs");
    assertThat(web.get("to").asText()).isEqualTo("kubernetes");
    assertThat(web.get("stopsBeforeShift").asBoolean()).isTrue();
    assertThat(web.get("traffic").asText())
        .contains("LoadBalancerRoute web", "routing mode ingress")
        .contains(CutOver.TRAFFIC_SHIFTED + "=true");

    Run text = plan(input, "--to", "kubernetes");
    assertThat(text.exitCode()).isZero();
    assertThat(text.out())
        .contains("Service web (Cluster default): ecs -> kubernetes")
        .contains("stops before Shift: LoadBalancerRoute web");
  }

  @Test
  void inAwsModeTrafficFollowsAndTheShiftStepsAreCutOversOwn() throws Exception {
    String input =
        cluster("default", "ecs", "routing:\n  mode: aws\n")
            + WEB
            + service("web", "desiredCount: 10")
            + route("web", "web");

    Run run = plan(input, "--to", "kubernetes", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode web = run.service("web");
    assertThat(web.get("stopsBeforeShift").asBoolean()).isFalse();
    assertThat(web.get("traffic").asText()).contains("routing mode aws");
    assertThat(web.get("desiredCount").asInt()).isEqualTo(10);
    assertThat(web.get("minimumHealthyPercent").asInt()).isEqualTo(100);
    assertThat(web.get("healthyFloor").asInt()).isEqualTo(10);
    List<Integer> steps = new ArrayList<>();
    web.get("shiftSteps").forEach(n -> steps.add(n.asInt()));
    assertThat(steps)
        .isEqualTo(CutOver.shiftSteps(10, 100, 25, false))
        .containsExactly(10, 7, 4, 1, 0);
    assertThat(plan(input, "--to", "kubernetes").out()).contains("10 -> 7 -> 4 -> 1 -> 0");
  }

  @Test
  void theFloorAndStepsFollowMinimumHealthyPercentAndTheClustersStep() throws Exception {
    String input =
        cluster("default", "kubernetes", "migration:\n  stepPercent: 50\n")
            + WEB
            + service(
                "web", "desiredCount: 5\ndeploymentConfiguration:\n  minimumHealthyPercent: 50\n");

    JsonNode web = plan(input, "--to", "ecs", "-o", "json").service("web");

    assertThat(web.get("healthyFloor").asInt()).isEqualTo(3);
    List<Integer> steps = new ArrayList<>();
    web.get("shiftSteps").forEach(n -> steps.add(n.asInt()));
    assertThat(steps).isEqualTo(CutOver.shiftSteps(5, 50, 50, false)).containsExactly(5, 2, 0);
  }

  @Test
  void aServiceAnnotatedTrafficShiftedDoesNotStop() throws Exception {
    String annotated =
        service("web", "desiredCount: 2")
            .replaceFirst(
                "  name: web\n",
                "  name: web\n  annotations:\n    " + CutOver.TRAFFIC_SHIFTED + ": \"true\"\n");
    String input = cluster("default", "ecs", "") + WEB + annotated + route("web", "web");

    JsonNode web = plan(input, "--to", "kubernetes", "-o", "json").service("web");

    assertThat(web.get("stopsBeforeShift").asBoolean()).isFalse();
    assertThat(web.get("traffic").asText()).contains(CutOver.TRAFFIC_SHIFTED);
  }

  @Test
  void servicesTakeMigrationSlotsInNameOrderUnderMaxConcurrentServices() throws Exception {
    String input =
        cluster("default", "ecs", "migration:\n  maxConcurrentServices: 2\n")
            + WEB
            + service("gamma", "desiredCount: 1")
            + service("alpha", "desiredCount: 1")
            + service("beta", "desiredCount: 1");

    Run run = plan(input, "--to", "kubernetes", "-o", "yaml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode plan = YAML.readTree(run.out());
    assertThat(plan.get("clusters").get(0).get("order").toString())
        .isEqualTo("[\"alpha\",\"beta\",\"gamma\"]");
    assertThat(plan.get("clusters").get(0).get("maxConcurrentServices").asInt()).isEqualTo(2);
    for (JsonNode s : plan.get("services")) {
      int batch = s.get("batch").asInt();
      assertThat(batch)
          .as(s.get("name").asText())
          .isEqualTo(s.get("name").asText().equals("gamma") ? 2 : 1);
    }
    assertThat(plan(input, "--to", "kubernetes").out())
        .contains("batch 1 (starts at once): alpha, beta")
        .contains("batch 2 (each as a slot frees): gamma");
  }

  @Test
  void aPrivilegedContainerIsRefusedBeforeFlippingToKubernetes() throws Exception {
    // on EC2 capacity: Fargate would refuse privileged containers on both sides
    String input =
        cluster("default", "ecs", "")
            + taskDefinition("web", "privileged: true\n").replace("[FARGATE]", "[EC2]")
            + service("web", "desiredCount: 2").replace("FARGATE", "EC2");

    Run run = plan(input, "--to", "kubernetes");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.errLines())
        .hasSize(1)
        .allSatisfy(
            l ->
                assertThat(l)
                    .startsWith(
                        "-: TaskDefinition/web: spec.containerDefinitions[0].privileged: "));
    // the plan is still printed: the refusal is where it stops
    assertThat(run.out()).contains("refused on kubernetes:  TaskDefinition/web");
    JsonNode web = plan(input, "--to", "kubernetes", "-o", "json").service("web");
    assertThat(web.get("refusals").get(0).get("field").asText())
        .isEqualTo("spec.containerDefinitions[0].privileged");
  }

  @Test
  void aKubernetesSecretReferenceIsRefusedBeforeFlippingToEcs() {
    String input =
        cluster("default", "kubernetes", "")
            + taskDefinition(
                "web", "secrets:\n- name: DB_PASSWORD\n  valueFrom: k8s:secret/db/password\n")
            + service("web", "desiredCount: 2");

    Run toEcs = plan(input, "--to", "ecs");

    assertThat(toEcs.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(toEcs.errLines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "-: TaskDefinition/web: spec.containerDefinitions[0].secrets[0].valueFrom:")
                    .contains("only on the kubernetes backend"));
    // where it runs now, the reference is fine: nothing moves, nothing is refused
    Run stay = plan(input, "--to", "kubernetes");
    assertThat(stay.exitCode()).as(stay.err()).isZero();
    assertThat(stay.out()).contains("(already there: nothing moves)");
  }

  @Test
  void whatKubernetesDoesNotHonourIsListedWithoutFailing() throws Exception {
    String input =
        cluster("default", "ecs", "")
            + taskDefinition(
                "web",
                "logConfiguration:\n  logDriver: awslogs\n  options:\n    awslogs-group: /web\n")
            + service("web", "desiredCount: 2");

    Run run = plan(input, "--to", "kubernetes", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode warning = run.service("web").get("warnings").get(0);
    assertThat(warning.get("resource").asText()).isEqualTo("TaskDefinition/web");
    assertThat(warning.get("field").asText()).endsWith(".logConfiguration");
  }

  @Test
  void aServiceWhoseTaskDefinitionIsNotInTheInputCannotBeChecked() {
    Run run =
        plan(
            cluster("default", "ecs", "") + service("web", "desiredCount: 2"),
            "--to",
            "kubernetes");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly(
            "-: Service/web: spec.taskDefinitionRef.name: TaskDefinition web is not in the input:"
                + " the target cannot be checked");
  }

  @Test
  void brokenDocumentsAreReportedLineByLineNotCrashedOn() {
    String input =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: nospec
        ---
        kind: Whatever
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: noref
        spec:
          desiredCount: 3
        """;

    Run run = plan(input, "--to", "ecs");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.err()).doesNotContain("internal error");
    assertThat(run.errLines()).doesNotHaveDuplicates().hasSize(3);
    assertThat(run.errLines())
        .anySatisfy(l -> assertThat(l).startsWith("-: Service/nospec: spec: missing"))
        .anySatisfy(l -> assertThat(l).startsWith("-: document 2: kind: "))
        .anySatisfy(l -> assertThat(l).startsWith("-: Service/noref: spec.taskDefinitionRef"));
  }

  @Test
  void anUnknownBackendIsAUsageError() {
    Run run = plan(WEB, "--to", "nomad");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(run.err())
        .isEqualTo("migrate-plan: --to: \"nomad\" is not one of kubernetes, ecs\n");
    assertThat(plan(WEB).exitCode()).as("--to is required").isEqualTo(TidewaterCli.USAGE);
  }

  /**
   * Every importable task definition of the ECS corpus, flipped each way under a Cluster with
   * default guardrails: the plan refuses exactly what {@code validate} refuses with the Cluster
   * flipped by hand, plus (to kubernetes) what {@code render} refuses, and nothing else; its exit
   * code says so; and it shows the cut-over's steps.
   */
  @NeedsEcsCorpus
  @Test
  void overTheCorpusThePlanRefusesWhatValidateAndRenderRefuseOnTheFlippedCluster()
      throws Exception {
    int planned = 0;
    for (EcsCorpus.Entry entry : EcsCorpus.withoutPlaceholders()) {
      String json = Files.readString(EcsCorpus.TASK_DEFINITIONS.resolve(entry.file()));
      EcsJsonImport.Outcome imported = EcsJsonImport.importJson(json, entry.file(), null);
      if (!imported.problems().isEmpty()) continue; // import refuses it: nothing to plan
      String td = ResourceYaml.write(imported.resources()) + "---\n";
      String family = imported.resources().get(0).resource().getMetadata().getName();
      String svc =
          """
          apiVersion: ecs.tidewater.dev/v1alpha1
          kind: Service
          metadata:
            name: svc
          spec:
            taskDefinitionRef:
              name: %s
            desiredCount: 4
          """
              .formatted(family);
      for (String to : List.of("kubernetes", "ecs")) {
        String from = to.equals("ecs") ? "kubernetes" : "ecs";
        String label = entry.file() + " " + from + " -> " + to;
        Run plan = plan(cluster("default", from, "") + td + svc, "--to", to);
        String flipped = cluster("default", to, "") + td + svc;
        Set<String> validate = lines(cli(flipped, "validate", "-"));
        Set<String> render =
            to.equals("kubernetes") ? lines(cli(flipped, "render", "-f", "-")) : Set.of();
        Set<String> refused = lines(plan);

        assertThat(plan.err()).as(label).doesNotContain("internal error");
        assertThat(refused).as(label).containsAll(validate);
        Set<String> either = new HashSet<>(validate);
        either.addAll(render);
        assertThat(either).as(label).containsAll(refused);
        assertThat(plan.exitCode())
            .as(label + "\n" + plan.err())
            .isEqualTo(refused.isEmpty() ? TidewaterCli.OK : TidewaterCli.INVALID_INPUT);
        assertThat(plan.out()).as(label).contains("4 -> 3 -> 2 -> 1 -> 0");
      }
      planned++;
    }
    assertThat(planned).as("corpus task definitions planned").isGreaterThan(10);
  }

  private static Run cli(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        TidewaterCli.execute(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  /** Problem lines without the file prefix ({@code render} names no file). */
  private static Set<String> lines(Run run) {
    return run.errLines().stream()
        .map(l -> l.startsWith("-: ") ? l.substring(3) : l)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
