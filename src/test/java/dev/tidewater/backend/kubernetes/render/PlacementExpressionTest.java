package dev.tidewater.backend.kubernetes.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster query language subset that becomes node affinity, as a table. */
class PlacementExpressionTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      value = {
        "attribute:ecs.instance-type == t3.micro; node.kubernetes.io/instance-type In t3.micro",
        "attribute:ecs.instance-type==t3.micro; node.kubernetes.io/instance-type In t3.micro",
        "attribute:ecs.instance-type equals t3.micro; node.kubernetes.io/instance-type In t3.micro",
        "attribute:ecs.availability-zone != us-east-1a; topology.kubernetes.io/zone NotIn us-east-1a",
        "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]; topology.kubernetes.io/zone In us-east-1a|us-east-1b",
        "attribute:ecs.instance-type not_in [t2.micro]; node.kubernetes.io/instance-type NotIn t2.micro",
        "attribute:ecs.cpu-architecture == x86_64; kubernetes.io/arch In amd64",
        "attribute:ecs.cpu-architecture == arm64; kubernetes.io/arch In arm64",
        "attribute:ecs.os-type == LINUX; kubernetes.io/os In linux",
        "attribute:stack == prod; stack In prod",
        "attribute:team.example.com/tier exists; team.example.com/tier Exists ",
        "attribute:gpu !exists; gpu DoesNotExist ",
        "attribute:ecs.instance-type == m5.large and attribute:stack == prod; node.kubernetes.io/instance-type In m5.large, stack In prod",
      })
  void mapped(String expression, String expected) {
    PlacementExpression.Result r = PlacementExpression.parse(expression);
    assertThat(r.notMapped()).isNull();
    assertThat(r.requirements().stream().map(PlacementExpressionTest::show).toList())
        .isEqualTo(List.of(expected.split(", ")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "attribute:ecs.instance-type =~ g4dn.*",
        "attribute:ecs.instance-type == t2.*",
        "attribute:ecs.instance-type == t2.micro or attribute:ecs.instance-type == t3.micro",
        "(attribute:stack == prod)",
        "task:group == web",
        "attribute:ecs.ami-id == ami-123",
        "attribute:ecs.os-family == LINUX",
        "agentConnected == true",
        "attribute:ecs.instance-type in t2.micro",
        ""
      })
  void notMapped(String expression) {
    PlacementExpression.Result r = PlacementExpression.parse(expression);
    assertThat(r.notMapped()).isNotBlank();
    assertThat(r.requirements()).isEmpty();
  }

  private static String show(NodeSelectorRequirement r) {
    return (r.getKey() + " " + r.getOperator() + " " + String.join("|", r.getValues())).strip();
  }
}
