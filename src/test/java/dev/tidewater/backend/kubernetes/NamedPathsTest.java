package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.api.v1alpha1.taskdefinition.ContainerDefinition;
import dev.tidewater.api.v1alpha1.taskdefinition.TaskDefinitionSpec;
import dev.tidewater.api.v1alpha1.taskdefinition.Volume;
import java.util.List;
import org.junit.jupiter.api.Test;

class NamedPathsTest {

  private static TaskDefinitionSpec task() {
    TaskDefinitionSpec spec = new TaskDefinitionSpec();
    ContainerDefinition a = new ContainerDefinition();
    a.name = "metrics";
    ContainerDefinition b = new ContainerDefinition();
    b.name = "web";
    spec.containerDefinitions = List.of(a, b);
    Volume v = new Volume();
    v.name = "data";
    spec.volumes = List.of(v);
    return spec;
  }

  @Test
  void indexesOfContainersAndVolumesBecomeNames() {
    assertThat(NamedPaths.of("containerDefinitions[1].ulimits", task()))
        .isEqualTo("containerDefinitions[web].ulimits");
    assertThat(NamedPaths.of("containerDefinitions[0]", task()))
        .isEqualTo("containerDefinitions[metrics]");
    assertThat(NamedPaths.of("volumes[0].host.sourcePath", task()))
        .isEqualTo("volumes[data].host.sourcePath");
  }

  @Test
  void otherPathsAndUnknownIndexesStay() {
    assertThat(NamedPaths.of("networkMode", task())).isEqualTo("networkMode");
    assertThat(NamedPaths.of("containerDefinitions[7].image", task()))
        .isEqualTo("containerDefinitions[7].image");
  }
}
