package dev.tidewater.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.service.EcsService;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinition;
import dev.tidewater.testing.JsonTrees;
import dev.tidewater.testing.NeedsEcsCorpus;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The CLI in-process: exit codes, what goes to stdout and stderr, and the YAML it prints. */
class TidewaterCliTest {

  private static final Path TASK_DEFINITIONS = dev.tidewater.testing.EcsCorpus.TASK_DEFINITIONS;
  private static final Path SERVICE_DEFINITIONS =
      dev.tidewater.testing.EcsCorpus.SERVICE_DEFINITIONS;
  private static final ObjectMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : List.of(err.split("\n"));
    }
  }

  private static Run withStdin(String stdin, String... args) {
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

  private static Run run(String... args) {
    return withStdin("", args);
  }

  private static String corpus(String name) {
    return TASK_DEFINITIONS.resolve(name).toString();
  }

  private static void assertNoStackTrace(Run run) {
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @NeedsEcsCorpus
  @Test
  void importPrintsYamlThatReadsBackIntoTheResourceClasses() throws Exception {
    String file = corpus("057-terraform-describe-nulls-firelens.json");
    Run run = run("import", file);

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    TaskDefinition td = YAML.readValue(run.out(), TaskDefinition.class);
    assertThat(td.getApiVersion()).isEqualTo("ecs.tidewater.dev/v1alpha1");
    assertThat(td.getKind()).isEqualTo("TaskDefinition");
    assertThat(td.getMetadata().getName()).isEqualTo("dev-borrower-api");
    // The YAML holds exactly the imported spec: nothing lost or retyped on the way.
    TaskDefinition imported =
        (TaskDefinition)
            EcsJsonImport.importJson(Files.readString(Path.of(file)), file, null)
                .resources()
                .get(0)
                .resource();
    assertThat(
            JsonTrees.difference(
                JSON.valueToTree(td.getSpec()), JSON.valueToTree(imported.getSpec())))
        .isEmpty();
    assertThat(td.getSpec().cpu).isEqualTo("256");
  }

  @NeedsEcsCorpus
  @Test
  void severalFilesBecomeSeveralDocumentsWithCommentsAbove() throws Exception {
    Run run =
        run(
            "import",
            corpus("021-firelens-appmesh-envoy-fargate.json"),
            SERVICE_DEFINITIONS.resolve("003-ecspresso-daemon-minimal.json").toString());

    assertThat(run.exitCode()).isZero();
    String[] docs = run.out().split("(?m)^---\n");
    assertThat(docs).hasSize(2);
    assertThat(YAML.readValue(docs[0], TaskDefinition.class).getSpec().family)
        .isEqualTo("appmesh-firelens-colorteller-black");
    assertThat(docs[1]).startsWith("# spec.taskDefinitionRef is required");
    EcsService svc = YAML.readValue(docs[1], EcsService.class);
    assertThat(svc.getSpec().schedulingStrategy).isEqualTo("DAEMON");
  }

  @Test
  void taskDefinitionOptionFillsTheServiceReference() throws Exception {
    Run run =
        withStdin(
            "{\"serviceName\": \"web\", \"desiredCount\": 1}",
            "import",
            "--task-definition=web-td:4",
            "-");

    assertThat(run.exitCode()).isZero();
    EcsService svc = YAML.readValue(run.out(), EcsService.class);
    assertThat(svc.getSpec().taskDefinitionRef.name).isEqualTo("web-td");
    assertThat(svc.getSpec().taskDefinitionRef.revision).isEqualTo(4);
  }

  @NeedsEcsCorpus
  @Test
  void rejectedInputGivesOneLinePerProblemAndNothingOnStdout() {
    String file = corpus("051-otel-prometheus-networkmode-default.json");
    Run run = run("import", file);

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines()).hasSize(6).allSatisfy(l -> assertThat(l).startsWith(file + ": "));
    assertThat(run.errLines())
        .contains(file + ": networkMode: \"default\" is not one of bridge, host, awsvpc, none");
    assertNoStackTrace(run);
  }

  @NeedsEcsCorpus
  @Test
  void brokenJsonIsOneLineWithItsPositionAndNoStackTrace() {
    String file = corpus("020-firelens-dynatrace-missing-comma.json");
    Run run = run("import", file);

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.errLines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        file
                            + ": containerDefinitions[1].logConfiguration.options: not valid JSON"
                            + " at line 34, column 20"));
    assertNoStackTrace(run);
  }

  @NeedsEcsCorpus
  @Test
  void oneBadFileFailsTheWholeImport() {
    Run run =
        run(
            "import",
            corpus("001-ecs-agent-nvidia-gpu.json"),
            corpus("006-ecs-agent-nginx-portbindings.json"));

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            corpus("006-ecs-agent-nginx-portbindings.json")
                + ": containerDefinitions[0].portBindings: \"portBindings\" is not an ECS"
                + " ContainerDefinition field");
  }

  @Test
  void anUnreadableFileIsNamedWithoutAStackTrace() {
    Run run = run("import", "no/such/file.json");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.errLines())
        .containsExactly("no/such/file.json: cannot read: no such file or directory");
    assertNoStackTrace(run);
  }

  @Test
  void validateAcceptsTheExamples() {
    Run run = run("validate", "examples");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out())
        .contains("examples/taskdefinition.yaml: TaskDefinition/web: valid")
        .contains("examples/service.yaml: Service/web: valid")
        .contains("examples/cluster.yaml: Cluster/default: valid")
        .contains("examples/taskrole.yaml: TaskRole/web: valid")
        .contains("examples/loadbalancerroute.yaml: LoadBalancerRoute/web: valid");
  }

  @Test
  void validateReportsKindNameAndPathPerProblem() {
    String yaml =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          containerDefinitions:
          - name: web
            image: nginx
            portBindings: []
            memory: "512"
        """;
    Run run = withStdin(yaml, "validate", "-");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.out()).isEmpty();
    assertThat(run.errLines())
        .containsExactly(
            "-: TaskDefinition/web: spec.containerDefinitions[0].portBindings: \"portBindings\" is"
                + " not a field of ContainerDefinition",
            "-: TaskDefinition/web: spec.containerDefinitions[0].memory: expected an integer, got"
                + " the string \"512\"");
  }

  @Test
  void validateRefusesTagsAwsWouldRefuse() {
    String yaml =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: web
        spec:
          tags:
          - {key: team, value: web}
          - {key: "aws:cloudformation:stack-name", value: web}
        """;
    Run run = withStdin(yaml, "validate", "-");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(run.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("-: TaskRole/web: spec.tags[1].key: ")
        .contains("aws:");
  }

  @Test
  void validateRunsTheValidatorOfEveryKind() {
    String yaml =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata:
          name: web
        spec:
          taskDefinitionRef: {name: web}
          desiredCount: 2
          deploymentConfiguration: {maximumPercent: 100, minimumHealthyPercent: 150}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskRole
        metadata:
          name: web
        spec:
          managedPolicyArns: [not-an-arn]
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: LoadBalancerRoute
        metadata:
          name: web
        spec:
          loadBalancer: {name: public}
          listener: {port: 80, protocol: HTTP}
          target: {serviceRef: {name: web}, containerPort: 8080}
          rules:
          - priority: 10
            conditions: {pathPatterns: ["no-leading-slash"]}
        """;
    Run run = withStdin(yaml, "validate", "-");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertNoStackTrace(run);
    assertThat(run.errLines())
        .anySatisfy(l -> assertThat(l).startsWith("-: Service/web: spec.deploymentConfiguration"))
        .anySatisfy(l -> assertThat(l).startsWith("-: TaskRole/web: spec.managedPolicyArns[0]:"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("-: LoadBalancerRoute/web: spec.rules[0].conditions.pathPatterns"));
  }

  @NeedsEcsCorpus
  @Test
  void importedYamlValidates() {
    Run imported =
        run(
            "import",
            corpus("021-firelens-appmesh-envoy-fargate.json"),
            corpus("056-cdk-broker-arm64-init-container.json"));
    Run validated = withStdin(imported.out(), "validate", "-");

    assertThat(validated.exitCode()).isZero();
    assertThat(validated.out())
        .contains("-: TaskDefinition/appmesh-firelens-colorteller-black: valid")
        .contains("-: TaskDefinition/openabintegbrokertaskdef644f1664: valid");
  }

  @Test
  void renderPrintsTheObjectsTheKubernetesBackendWouldApply() {
    Run rendered = run("render", "-f", "examples/");

    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    assertThat(rendered.out())
        .contains("kind: \"ServiceAccount\"")
        .contains("kind: \"Deployment\"")
        .contains("kind: \"HorizontalPodAutoscaler\"")
        .contains("public.ecr.aws/nginx/nginx-unprivileged:1.27")
        // render assumes the External Secrets Operator (v1) unless told otherwise
        .contains("kind: \"ExternalSecret\"")
        .contains("apiVersion: \"external-secrets.io/v1\"")
        .doesNotContain("# Service/web: spec.containerDefinitions[web].secrets[0]:")
        .contains("name: \"web-ecs-secrets\""); // API_TOKEN, from SSM through an ExternalSecret
    assertThat(rendered.err()).isEmpty();
  }

  @Test
  void validateAndRenderCoverTheTaskExamples() throws Exception {
    Run validated = run("validate", "examples/tasks", "examples/cluster.yaml");

    assertThat(validated.exitCode()).as(validated.err()).isZero();
    assertThat(validated.out())
        .contains("examples/tasks/migrate.yaml: Task/migrate-2027-03-01: valid")
        .contains("examples/tasks/nightly-report.yaml: ScheduledTask/nightly-report: valid")
        .contains("examples/tasks/taskdefinition.yaml: TaskDefinition/web-jobs: valid");

    Run rendered = run("render", "-f", "examples/tasks", "-f", "examples/cluster.yaml");
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    List<io.fabric8.kubernetes.api.model.HasMetadata> objects =
        RenderCommand.documents(rendered.out());
    var cronJob =
        YAML.convertValue(
            JSON.valueToTree(
                objects.stream().filter(o -> o.getKind().equals("CronJob")).findFirst().get()),
            io.fabric8.kubernetes.api.model.batch.v1.CronJob.class);
    assertThat(cronJob.getMetadata().getName()).isEqualTo("nightly-report");
    assertThat(cronJob.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(cronJob.getSpec().getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(cronJob.getSpec().getSuspend()).isFalse();
    assertThat(cronJob.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
    var pod = cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    // ECS's command is the image's CMD: the container's args
    assertThat(pod.getContainers().get(0).getArgs())
        .containsExactly("python", "manage.py", "sales_report", "--day", "yesterday");
    // the Fargate placement of the Cluster in the input
    assertThat(pod.getNodeSelector()).containsEntry("eks.amazonaws.com/compute-type", "fargate");
    assertThat(objects).extracting(o -> o.getKind()).contains("Job");
  }

  @Test
  void validateAndRenderRefuseAScheduledTaskAsItsReconcilerWould() {
    String base =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: kubernetes
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: report
        spec:
          containerDefinitions:
          - name: report
            image: registry.example/report:1
            memory: 512
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: ScheduledTask
        metadata:
          name: month-end
        spec:
          scheduleExpression: EXPRESSION
          task:
            taskDefinitionRef:
              name: report
            overrides:
              containerOverrides:
              - name: CONTAINER
                command: [./report]
        """;
    // the last Friday of the month: valid on AWS, no CronJob can say it
    Run lastFriday =
        withStdin(
            base.replace("EXPRESSION", "cron(0 18 ? * 6L *)").replace("CONTAINER", "report"),
            "validate",
            "-");
    Run renderedLastFriday =
        withStdin(
            base.replace("EXPRESSION", "cron(0 18 ? * 6L *)").replace("CONTAINER", "report"),
            "render",
            "-f",
            "-");
    // without the kubernetes Cluster, only AWS's rules apply: valid
    Run onAws =
        withStdin(
            base.replace("EXPRESSION", "cron(0 18 ? * 6L *)")
                .replace("CONTAINER", "report")
                .replace("backend: kubernetes", "backend: ecs"),
            "validate",
            "-");
    Run unknownContainer =
        withStdin(
            base.replace("EXPRESSION", "rate(1 hour)").replace("CONTAINER", "reporter"),
            "validate",
            "-");

    assertThat(lastFriday.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(lastFriday.err())
        .contains("-: ScheduledTask/month-end: spec.scheduleExpression: ")
        .contains("6L");
    assertThat(renderedLastFriday.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(renderedLastFriday.err())
        .contains("ScheduledTask/month-end: spec.scheduleExpression");
    assertThat(renderedLastFriday.out()).doesNotContain("CronJob");
    assertThat(onAws.exitCode()).as(onAws.err()).isZero();
    assertThat(unknownContainer.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(unknownContainer.err())
        .contains(
            "ScheduledTask/month-end: spec.task.overrides.containerOverrides[0].name: the task"
                + " definition has no container \"reporter\"");
    assertNoStackTrace(unknownContainer);
  }

  @Test
  void importPrintsATaskAndScheduledTasksThatValidateAccepts() {
    Run imported =
        run(
            "import",
            "src/test/resources/cli/import-tasks/run-task-migrate.json",
            "src/test/resources/cli/import-tasks/get-schedule-nightly-report.json",
            "src/test/resources/cli/import-tasks/rule-cleanup-sessions.json");
    Run refused = run("import", "src/test/resources/cli/import-tasks/rule-s3-upload-events.json");

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out())
        .contains("kind: Task\n")
        .contains("kind: ScheduledTask\n")
        .contains("# ECS cluster \"production\" is set by the Cluster resource");
    Run validated = withStdin(imported.out(), "validate", "-");
    assertThat(validated.exitCode()).as(validated.err()).isZero();
    assertThat(validated.out())
        .contains("-: Task/run-task-migrate: valid")
        .contains("-: ScheduledTask/nightly-report: valid")
        .contains("-: ScheduledTask/cleanup-sessions: valid");
    assertThat(refused.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.errLines())
        .containsExactly(
            "src/test/resources/cli/import-tasks/rule-s3-upload-events.json: Rule.EventPattern: the"
                + " rule runs its targets on events, not on a schedule: Tidewater has no"
                + " event-triggered tasks (a ScheduledTask needs a ScheduleExpression)");
  }

  @Test
  void renderPrintsTheJobOfATaskThatValidateAccepts() {
    String file = "src/test/resources/cli/task-migrate.yaml";
    Run rendered = run("render", "-f", file);

    assertThat(rendered.exitCode()).as(rendered.err()).isZero();
    assertThat(rendered.out())
        .contains("kind: \"Job\"")
        .contains("backoffLimitPerIndex: 0")
        .contains("restartPolicy: \"Never\"")
        // the override, and the non-essential container as a sidecar that stops with the task
        .contains("- \"--to\"")
        .contains("restartPolicy: \"Always\"");

    Run validated = run("validate", file);
    assertThat(validated.exitCode()).as(validated.err()).isZero();
  }

  @Test
  void aCpuTargetOnATaskWithoutCpuIsRefusedByValidateAndRender() {
    String file = "src/test/resources/cli/autoscaling-without-cpu.yaml";
    Run validated = run("validate", file);
    Run rendered = run("render", "-f", file);

    assertThat(validated.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(validated.err())
        .contains("Service/nocpu: spec.autoscaling.targetCpuUtilization: ")
        .contains("container \"app\" has none");
    assertThat(validated.out()).contains("TaskDefinition/nocpu: valid");
    assertThat(rendered.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(rendered.err()).contains("Service/nocpu: spec.autoscaling.targetCpuUtilization: ");
  }

  @Test
  void validateAppliesTheGuardrailsOfAClusterInTheInput() {
    String task =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata:
          name: web
        spec:
          containerDefinitions:
          - {name: web, image: nginx, memory: 256}
          - name: sidecar
            image: busybox
            memory: 64
            essential: false
            linuxParameters: {capabilities: {add: [SYS_ADMIN]}}
        """;
    String cluster =
        """
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata:
          name: default
        spec:
          backend: ecs
        """;
    Run guarded = withStdin(task + cluster, "validate", "-");

    assertThat(guarded.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(guarded.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith(
            "-: TaskDefinition/web: spec.containerDefinitions[1].linuxParameters.capabilities.add[0]: ")
        .contains("SYS_ADMIN", "guardrails.allowPrivileged");
    assertThat(guarded.out()).contains("Cluster/default: valid");
    // a Cluster of another name, or the TaskDefinition alone: no Cluster known, nothing guarded
    assertThat(
            withStdin(task + cluster.replace("name: default", "name: other"), "validate", "-")
                .exitCode())
        .isZero();
    assertThat(withStdin(task, "validate", "-").exitCode()).isZero();
  }

  @Test
  void validateAndRenderApplyTheCeilingOfATenancyPolicyInTheInput() {
    String privileged =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TaskDefinition
        metadata: {name: web, namespace: team-a}
        spec:
          containerDefinitions:
          - {name: web, image: nginx, memory: 256, privileged: true}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: default, namespace: team-a}
        spec:
          guardrails: {allowPrivileged: true}
        """;
    String policy =
        """
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TenancyPolicy
        metadata: {name: teams}
        spec:
          namespaces: ["team-*"]
        """;
    // the Cluster alone allows it
    assertThat(withStdin(privileged, "validate", "-").exitCode()).isZero();

    Run capped = withStdin(privileged + policy, "validate", "-");
    assertThat(capped.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(capped.errLines()).hasSize(2);
    assertThat(capped.errLines().get(0))
        .startsWith("-: TaskDefinition/web: spec.containerDefinitions[0].privileged: ")
        .contains("guardrails.allowPrivileged");
    // and the Cluster asking for it is beyond its ceiling, as the operator reports it
    assertThat(capped.errLines().get(1))
        .startsWith("-: Cluster/default: spec.guardrails.allowPrivileged: true is beyond ")
        .contains("teams");
    assertThat(capped.out()).contains("TenancyPolicy/teams: valid");
    // a policy that allows it leaves the decision to the Cluster
    assertThat(
            withStdin(
                    privileged + policy + "  guardrails: {allowPrivileged: true}\n",
                    "validate",
                    "-")
                .exitCode())
        .isZero();
    // with policies known but none governing the namespace, the built-in ceiling applies
    assertThat(
            withStdin(privileged + policy.replace("team-*", "other"), "validate", "-").exitCode())
        .isEqualTo(TidewaterCli.INVALID_INPUT);

    String service =
        """
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Service
        metadata: {name: web, namespace: team-a}
        spec:
          taskDefinitionRef: {name: web}
          desiredCount: 1
        """;
    assertThat(withStdin(privileged + service, "render", "-f", "-").exitCode()).isZero();
    Run rendered = withStdin(privileged + service + policy, "render", "-f", "-");
    assertThat(rendered.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(rendered.err()).contains("privileged");
  }

  @Test
  void validateJudgesEachNamespacesClusterAgainstItsOwnCeiling() {
    String input =
        """
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: default, namespace: team-a}
        spec: {backend: ecs, guardrails: {allowPrivileged: true}}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: default, namespace: other}
        spec: {backend: ecs, guardrails: {allowPrivileged: true}}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: Cluster
        metadata: {name: loose}
        spec: {backend: ecs}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TenancyPolicy
        metadata: {name: teams}
        spec:
          namespaces: ["team-*", "default"]
          guardrails: {allowPrivileged: false}
        ---
        apiVersion: ecs.tidewater.dev/v1alpha1
        kind: TenancyPolicy
        metadata: {name: other}
        spec:
          namespaces: ["other"]
          guardrails: {allowPrivileged: true}
        """;
    Run run = withStdin(input, "validate", "-");

    assertThat(run.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    // each Cluster default is judged in its own namespace: team-a's is beyond teams, other's is
    // within other; a Cluster without a namespace (in default, its ECS cluster name derived
    // there) is valid
    assertThat(run.errLines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("-: Cluster/default: spec.guardrails.allowPrivileged: ")
        .contains("TenancyPolicy teams");
    assertThat(run.out()).contains("Cluster/default: valid", "Cluster/loose: valid");
  }

  @Test
  void aCodeDeployControllerIsRefusedForAnEcsClusterOnly() {
    Run onEcs = run("validate", "src/test/resources/cli/code-deploy-on-ecs.yaml");

    assertThat(onEcs.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(onEcs.err())
        .contains("Service/bluegreen: spec.deploymentController.type: ")
        .contains("not supported on the ecs backend");
  }

  @Test
  void renderWithoutTheExternalSecretsOperatorRefusesAwsSecretsNamingTheField() {
    Run rendered = run("render", "-f", "examples/", "--external-secrets", "none");

    assertThat(rendered.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(rendered.err())
        .contains("spec.containerDefinitions[web].secrets[0].valueFrom")
        .contains("External Secrets Operator")
        .doesNotContain("parameter/web/api-token");
  }

  @Test
  void renderBelowKubernetes134SharesTaskResourcesOut() {
    Run current = run("render", "-f", "src/test/resources/cli/render-apply/");
    Run old =
        run("render", "-f", "src/test/resources/cli/render-apply/", "--kubernetes-version=1.33");

    assertThat(old.exitCode()).as(old.err()).isZero();
    assertThat(current.out()).contains("\n      resources:\n");
    assertThat(old.out())
        .doesNotContain("\n      resources:\n")
        .contains("# Service/api: spec.cpu: the API server has no pod-level resources");
    assertThat(run("render", "-f", "examples/", "--kubernetes-version", "latest").exitCode())
        .isEqualTo(TidewaterCli.USAGE);
    assertThat(run("render", "-f", "examples/", "--external-secrets", "v2").exitCode())
        .isEqualTo(TidewaterCli.USAGE);
  }

  @Test
  void renderRefusesInvalidInputWithTheFieldNamed() {
    Run rendered = run("render", "-f", "src/test/resources/cli/render-invalid.yaml");

    assertThat(rendered.exitCode()).isEqualTo(TidewaterCli.INVALID_INPUT);
    assertThat(rendered.out()).isEmpty();
    assertThat(rendered.err()).contains("spec.containerDefinitions[0].portMappings[0].protocol");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run().exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(run("import").exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(run("validate").exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(run("import", "--bogus", "x.json").exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(run("render").exitCode()).isEqualTo(TidewaterCli.USAGE);
    Run badOption = run("import", "--task-definition", "web:latest", "x.json");
    assertThat(badOption.exitCode()).isEqualTo(TidewaterCli.USAGE);
    assertThat(badOption.err()).contains("--task-definition: revision \"latest\"");
  }

  @Test
  void helpGoesToStdoutAndSucceeds() {
    Run run = run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("import").contains("validate");
    assertThat(run.err()).isEmpty();
  }
}
