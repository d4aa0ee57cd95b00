package dev.tidewater.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** deploy/iam-policy.json: valid JSON, and the role-handling actions confined to /tidewater/. */
class IamPolicyTest {

  private static final String TIDEWATER_ROLES = "arn:aws:iam::*:role/tidewater/*";
  private static JsonNode policy;

  @BeforeAll
  static void read() throws IOException {
    policy = new ObjectMapper().readTree(Path.of("deploy", "iam-policy.json").toFile());
  }

  private static List<JsonNode> statementsWith(String action) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode s : policy.get("Statement")) {
      for (String a : strings(s.get("Action"))) {
        if (a.equals(action)) out.add(s);
      }
    }
    return out;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node == null) return out;
    if (node.isArray()) node.forEach(n -> out.add(n.asText()));
    else out.add(node.asText());
    return out;
  }

  @Test
  void isAnAllowOnlyPolicyWithoutWildcardActions() {
    assertThat(policy.get("Version").asText()).isEqualTo("2012-10-17");
    for (JsonNode s : policy.get("Statement")) {
      assertThat(s.get("Effect").asText()).as(s.get("Sid").asText()).isEqualTo("Allow");
      assertThat(strings(s.get("Action")))
          .as(s.get("Sid").asText())
          .noneMatch(a -> a.equals("*") || a.endsWith(":*"));
    }
  }

  @Test
  void passRoleIsScopedToTheTidewaterPathAndToTaskServices() {
    List<JsonNode> passRole = statementsWith("iam:PassRole");
    assertThat(passRole).hasSize(1);
    JsonNode s = passRole.get(0);
    assertThat(strings(s.get("Resource"))).containsExactly(TIDEWATER_ROLES);
    assertThat(strings(s.at("/Condition/StringEquals/iam:PassedToService")))
        .containsExactlyInAnyOrder("ecs-tasks.amazonaws.com", "pods.eks.amazonaws.com");
  }

  @Test
  void roleWritesAreScopedToTheTidewaterPath() {
    for (String action :
        List.of(
            "iam:CreateRole",
            "iam:DeleteRole",
            "iam:PutRolePolicy",
            "iam:AttachRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:PutRolePermissionsBoundary")) {
      assertThat(statementsWith(action))
          .as(action)
          .singleElement()
          .satisfies(s -> assertThat(strings(s.get("Resource"))).containsExactly(TIDEWATER_ROLES));
    }
  }

  @Test
  void serviceLinkedRolesOnlyForEcs() {
    assertThat(statementsWith("iam:CreateServiceLinkedRole"))
        .singleElement()
        .satisfies(
            s ->
                assertThat(strings(s.at("/Condition/StringEquals/iam:AWSServiceName")))
                    .allMatch(n -> n.startsWith("ecs.")));
  }
}
