package dev.tidewater.cli;

import dev.tidewater.cli.CustomResourceCheck.Checked;
import dev.tidewater.cli.InputFiles.Input;
import dev.tidewater.model.Problem;
import java.io.PrintWriter;
import java.util.List;
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
      "Check Tidewater resources (TaskDefinition, Service, TaskRole, LoadBalancerRoute, Cluster)"
          + " in YAML files: apiVersion, kind, name, the spec's fields, types, enums and required"
          + " fields, then the kind's validator.",
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
    for (Input input : InputFiles.read(files, Set.of(".yaml", ".yml", ".json"), parent.stdin())) {
      if (input.error() != null) {
        err.println(input.name() + ": " + input.error());
        failed = true;
        continue;
      }
      List<Checked> results = CustomResourceCheck.check(input.text());
      if (results.isEmpty()) {
        err.println(input.name() + ": no resources in the file");
        failed = true;
      }
      for (Checked checked : results) {
        if (checked.problems().isEmpty()) {
          out.println(input.name() + ": " + checked.label() + ": valid");
          continue;
        }
        failed = true;
        for (Problem p : checked.problems()) {
          String path = p.path().isEmpty() ? "" : p.path() + ": ";
          err.println(input.name() + ": " + checked.label() + ": " + path + p.message());
        }
      }
    }
    out.flush();
    err.flush();
    return failed ? TidewaterCli.INVALID_INPUT : TidewaterCli.OK;
  }
}
