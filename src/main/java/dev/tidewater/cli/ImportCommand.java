package dev.tidewater.cli;

import dev.tidewater.api.v1alpha1.service.TaskDefinitionRef;
import dev.tidewater.cli.EcsJsonImport.ImportedResource;
import dev.tidewater.cli.EcsJsonImport.Outcome;
import dev.tidewater.cli.InputFiles.Input;
import dev.tidewater.model.Problem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tidewater import FILE...}: ECS, EventBridge Scheduler and EventBridge JSON in, Tidewater
 * custom resource YAML out.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    versionProvider = TidewaterCli.Version.class,
    description = {
      "Convert ECS task definitions (RegisterTaskDefinition JSON or describe-task-definition"
          + " output), service definitions (CreateService JSON, e.g. ecspresso), aws ecs run-task"
          + " input (RunTask JSON), EventBridge Scheduler schedules (CreateSchedule JSON or"
          + " get-schedule output) and EventBridge rules with ECS targets ({\"Rule\": describe-rule"
          + " output, \"Targets\": list-targets-by-rule Targets}) into Tidewater TaskDefinition,"
          + " Service, Task and ScheduledTask resources, printed as YAML on stdout; what a resource"
          + " cannot say but does not change what runs is a # comment above it.",
      "Input ECS would refuse is reported on stderr, one line per problem"
          + " (FILE: JSON.PATH: message); then nothing is printed on stdout."
    })
final class ImportCommand implements Callable<Integer> {

  @ParentCommand TidewaterCli parent;

  @Spec CommandSpec spec;

  @Option(
      names = "--task-definition",
      paramLabel = "NAME[:REVISION]",
      description =
          "The TaskDefinition a service definition runs when it names none (ecspresso keeps it in"
              + " its config).")
  String taskDefinition;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "ECS JSON files, directories of them (*.json), or - for stdin.")
  List<String> files;

  @Override
  public Integer call() {
    TaskDefinitionRef fallback = fallbackTaskDefinition();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<ImportedResource> resources = new ArrayList<>();
    boolean failed = false;
    for (Input input : InputFiles.read(files, Set.of(".json"), parent.stdin())) {
      if (input.error() != null) {
        err.println(input.name() + ": " + input.error());
        failed = true;
        continue;
      }
      Outcome outcome = EcsJsonImport.importJson(input.text(), input.name(), fallback);
      for (Problem p : outcome.problems()) {
        err.println(input.name() + ": " + p.path() + ": " + p.message());
      }
      failed |= !outcome.ok();
      resources.addAll(outcome.resources());
    }
    err.flush();
    if (failed) {
      // All or nothing: half of a set piped into kubectl apply is worse than none.
      return TidewaterCli.INVALID_INPUT;
    }
    out.print(ResourceYaml.write(resources));
    out.flush();
    return TidewaterCli.OK;
  }

  private TaskDefinitionRef fallbackTaskDefinition() {
    if (taskDefinition == null) {
      return null;
    }
    List<Problem> problems = new ArrayList<>();
    TaskDefinitionRef ref = EcsJsonImport.taskDefinitionRef(taskDefinition, problems);
    if (ref == null) {
      throw new ParameterException(
          spec.commandLine(), "--task-definition: " + problems.get(0).message());
    }
    return ref;
  }
}
