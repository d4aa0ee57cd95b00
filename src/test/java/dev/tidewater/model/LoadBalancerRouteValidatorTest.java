package dev.tidewater.model;

import static dev.tidewater.model.ProblemAssertions.assertOnly;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tidewater.api.v1alpha1.loadbalancerroute.LoadBalancerRouteSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LoadBalancerRouteValidatorTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final LoadBalancerRouteValidator VALIDATOR = new LoadBalancerRouteValidator();

  private static final String ALB =
      """
      loadBalancer: {name: public, type: application}
      listener: {port: 443, protocol: HTTPS}
      target: {serviceRef: {name: web}, containerPort: 8080}
      """;

  static List<Problem> validate(String yaml) {
    try {
      return VALIDATOR.validate(YAML.readValue(yaml, LoadBalancerRouteSpec.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("test YAML does not parse: " + e.getMessage(), e);
    }
  }

  /** An application load balancer route with one rule (priority 10) of these conditions. */
  static List<Problem> rule(String conditions) {
    return validate(ALB + "rules: [{priority: 10, conditions: " + conditions + "}]\n");
  }

  @Test
  void theShippedExampleIsValid() throws IOException {
    JsonNode example = YAML.readTree(Path.of("examples", "loadbalancerroute.yaml").toFile());
    LoadBalancerRouteSpec spec = YAML.treeToValue(example.get("spec"), LoadBalancerRouteSpec.class);
    assertThat(VALIDATOR.validate(spec)).isEmpty();
  }

  // --- priorities -------------------------------------------------------------------------------

  @Test
  void prioritiesAreUniqueInARoute() {
    List<Problem> problems =
        validate(
            ALB
                + """
                rules:
                  - {priority: 10, conditions: {pathPatterns: [/a/*]}}
                  - {priority: 20, conditions: {pathPatterns: [/b/*]}}
                  - {priority: 10, conditions: {pathPatterns: [/c/*]}}
                """);
    assertOnly(problems, "rules[2].priority", "DuplicatePriority", "priority 10", "rules[0]");
  }

  @Test
  void distinctPrioritiesAreValid() {
    assertThat(
            validate(
                ALB
                    + """
                    rules:
                      - {priority: 10, conditions: {pathPatterns: [/a/*]}}
                      - {priority: 11, conditions: {hostHeaders: [a.example.com]}}
                    """))
        .isEmpty();
  }

  // --- host headers -----------------------------------------------------------------------------

  @Nested
  class HostHeaders {

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "*.example.com", "api-?.example.com", "LOCALHOST"})
    void acceptsAlbHostNames(String host) {
      assertThat(rule("{hostHeaders: ['" + host + "']}")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {
          "api_example.com|contains \"_\"",
          "api.example.com:443|contains \":\"",
          "héllo.example.com|contains \"é\"",
        })
    void rejectsOtherCharacters(String host, String named) {
      assertOnly(
          rule("{hostHeaders: ['" + host + "']}"),
          "rules[0].conditions.hostHeaders[0]",
          "InvalidHostHeader",
          '"' + host + '"',
          named);
    }

    @Test
    void rejectsMoreThan128Characters() {
      String host = "a".repeat(120) + ".example";
      assertThat(host).hasSize(128);
      assertThat(rule("{hostHeaders: ['" + host + "']}")).isEmpty();
      assertOnly(
          rule("{hostHeaders: ['" + host + "x']}"),
          "rules[0].conditions.hostHeaders[0]",
          "InvalidHostHeader",
          "129 characters");
    }
  }

  // --- path patterns ----------------------------------------------------------------------------

  @Nested
  class PathPatterns {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/*", "*", "/img/?.png", "/~user/a_b-c.d$e@f:g+h&i'j\"k"})
    void acceptsAlbPaths(String path) {
      assertThat(rule("{pathPatterns: ['" + path.replace("'", "''") + "']}")).isEmpty();
    }

    @Test
    void mustStartWithASlash() {
      assertOnly(
          rule("{pathPatterns: ['api/*']}"),
          "rules[0].conditions.pathPatterns[0]",
          "InvalidPathPattern",
          "\"api/*\"",
          "must start with '/'");
    }

    @ParameterizedTest
    @CsvSource(
        delimiter = '|',
        value = {"/a b|\" \"", "/search?q=x|\"=\"", "/a#b|\"#\"", "/a%20b|\"%\""})
    void rejectsOtherCharacters(String path, String named) {
      assertOnly(
          rule("{pathPatterns: ['" + path + "']}"),
          "rules[0].conditions.pathPatterns[0]",
          "InvalidPathPattern",
          '"' + path + '"',
          named);
    }

    @Test
    void rejectsMoreThan128Characters() {
      String path = "/" + "a".repeat(128);
      assertOnly(
          rule("{pathPatterns: ['" + path + "']}"),
          "rules[0].conditions.pathPatterns[0]",
          "InvalidPathPattern",
          "129 characters");
    }
  }

  // --- other conditions -------------------------------------------------------------------------

  @Nested
  class OtherConditions {

    @Test
    void acceptsMethodsSourceIpsAndHeaders() {
      assertThat(
              rule(
                  "{httpRequestMethods: [GET, CUSTOM_METHOD], sourceIps: [10.0.0.0/8,"
                      + " '2001:db8::/32'], httpHeaders: [{name: X-Env, values: [blue]}]}"))
          .isEmpty();
    }

    @Test
    void methodsAreUpperCase() {
      assertOnly(
          rule("{httpRequestMethods: [get]}"),
          "rules[0].conditions.httpRequestMethods[0]",
          "InvalidHttpMethod",
          "\"get\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.0/33", "300.0.0.0/8", "2001:db8:::/32", "any"})
    void sourceIpsAreCidrBlocks(String ip) {
      assertOnly(
          rule("{sourceIps: ['" + ip + "']}"),
          "rules[0].conditions.sourceIps[0]",
          "InvalidSourceIp",
          '"' + ip + '"');
    }

    @Test
    void headerValuesHaveAtMost128Characters() {
      assertOnly(
          rule("{httpHeaders: [{name: X-Env, values: ['" + "v".repeat(129) + "']}]}"),
          "rules[0].conditions.httpHeaders[0].values[0]",
          "InvalidHttpHeaderValue",
          "129 characters");
    }
  }

  // --- per-rule quotas --------------------------------------------------------------------------

  @Nested
  class Quotas {

    @Test
    void fiveConditionValuesAreAllowed() {
      assertThat(
              rule(
                  "{hostHeaders: [a.example.com, b.example.com], pathPatterns: [/a, /b],"
                      + " httpRequestMethods: [GET]}"))
          .isEmpty();
    }

    @Test
    void sixConditionValuesAreTooMany() {
      assertOnly(
          rule(
              "{hostHeaders: [a.example.com, b.example.com], pathPatterns: [/a, /b],"
                  + " httpRequestMethods: [GET], sourceIps: [10.0.0.0/8]}"),
          "rules[0].conditions",
          "TooManyConditionValues",
          "6 condition values",
          "5");
    }

    @Test
    void sixWildcardsAreTooMany() {
      assertThat(rule("{pathPatterns: ['/a/*/*', '/b/*/*/*']}")).isEmpty();
      assertOnly(
          rule("{pathPatterns: ['/a/*/*/*', '/b/*/?/*']}"),
          "rules[0].conditions",
          "TooManyWildcards",
          "6 wildcards");
    }

    @Test
    void aRuleNeedsACondition() {
      assertOnly(rule("{}"), "rules[0].conditions", "ConditionRequired", "at least one condition");
    }
  }

  // --- load balancer type -----------------------------------------------------------------------

  @Nested
  class LoadBalancerType {

    private static final String NLB =
        """
        loadBalancer: {name: internal, type: network}
        listener: {port: 5432, protocol: TCP}
        target: {serviceRef: {name: db}, containerPort: 5432}
        """;

    @Test
    void aNetworkLoadBalancerRouteHasNoRules() {
      assertThat(validate(NLB)).isEmpty();
      assertOnly(
          validate(NLB + "rules: [{priority: 1, conditions: {pathPatterns: [/]}}]\n"),
          "rules",
          "NetworkLoadBalancerRules",
          "network load balancer");
    }

    @Test
    void aNetworkLoadBalancerRouteIsRefusedOnTheEcsBackendNamingTheField() throws Exception {
      var spec = YAML.readValue(NLB, LoadBalancerRouteSpec.class);
      var ecs = new dev.tidewater.api.v1alpha1.cluster.ClusterSpec();
      ecs.backend = "ecs";
      assertOnly(
          VALIDATOR.validate(spec, ValidationContext.forCluster(ecs)),
          "loadBalancer.type",
          "NetworkLoadBalancerOnEcs",
          "not supported on the ecs backend");
      var kubernetes = new dev.tidewater.api.v1alpha1.cluster.ClusterSpec();
      assertThat(VALIDATOR.validate(spec, ValidationContext.forCluster(kubernetes))).isEmpty();
    }

    @Test
    void anApplicationLoadBalancerRouteNeedsRules() {
      assertOnly(validate(ALB), "rules", "RulesRequired", "at least one rule");
    }

    @Test
    void theListenerProtocolBelongsToTheType() {
      assertOnly(
          validate(NLB.replace("protocol: TCP", "protocol: HTTPS")),
          "listener.protocol",
          "ListenerProtocolMismatch",
          "HTTPS",
          "network");
      assertOnly(
          validate(
              ALB.replace("protocol: HTTPS", "protocol: TLS")
                  + "rules: [{priority: 1, conditions: {pathPatterns: [/]}}]\n"),
          "listener.protocol",
          "ListenerProtocolMismatch",
          "TLS",
          "application");
      assertThat(validate(NLB.replace("protocol: TCP", "protocol: TLS"))).isEmpty();
    }
  }

  // --- target group health check ----------------------------------------------------------------

  @Nested
  class HealthCheck {

    private List<Problem> check(String healthCheck, boolean network) {
      String route =
          network
              ? """
                loadBalancer: {name: internal, type: network}
                listener: {port: 5432, protocol: TCP}
                target: {serviceRef: {name: db}, containerPort: 5432}
                """
              : ALB + "rules: [{priority: 10, conditions: {pathPatterns: [/]}}]\n";
      return validate(route + "healthCheck: " + healthCheck + "\n");
    }

    @Test
    void acceptsAUsualHealthCheck() {
      assertThat(
              check(
                  "{path: /healthz, protocol: HTTP, port: traffic-port, matcher: '200-399,401',"
                      + " intervalSeconds: 15, timeoutSeconds: 5}",
                  false))
          .isEmpty();
      assertThat(check("{protocol: TCP, port: '5432', matcher: '200-599'}", true)).isEmpty();
    }

    @Test
    void theTimeoutIsBelowTheInterval() {
      assertOnly(
          check("{intervalSeconds: 10, timeoutSeconds: 10}", false),
          "healthCheck.timeoutSeconds",
          "HealthCheckTimeoutNotBelowInterval",
          "timeoutSeconds 10",
          "intervalSeconds 10");
    }

    @Test
    void thePathIsAbsolute() {
      assertOnly(
          check("{path: healthz}", false),
          "healthCheck.path",
          "InvalidHealthCheckPath",
          "\"healthz\"");
    }

    @Test
    void anApplicationLoadBalancerChecksOverHttp() {
      assertOnly(
          check("{protocol: TCP}", false),
          "healthCheck.protocol",
          "HealthCheckProtocolMismatch",
          "TCP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "0", "65536"})
    void thePortIsTrafficPortOrANumber(String port) {
      assertOnly(
          check("{port: '" + port + "'}", false),
          "healthCheck.port",
          "InvalidHealthCheckPort",
          '"' + port + '"');
    }

    @ParameterizedTest
    @ValueSource(strings = {"2xx", "199", "500", "200-", "300-200"})
    void theMatcherListsCodesAnApplicationLoadBalancerAccepts(String matcher) {
      assertOnly(
          check("{matcher: '" + matcher + "'}", false),
          "healthCheck.matcher",
          "InvalidHealthCheckMatcher",
          '"' + matcher + '"',
          "200 to 499");
    }
  }
}
