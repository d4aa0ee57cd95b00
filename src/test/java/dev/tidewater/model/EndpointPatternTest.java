package dev.tidewater.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Endpoint grants compare origins: a pattern never matches a host of another domain. */
class EndpointPatternTest {

  private static final String VPCE = "https://vpce-0abc*.ecs.eu-west-1.vpce.amazonaws.com";

  @Test
  void aGrantedOriginMatches() {
    assertThat(
            EndpointPattern.matches(VPCE, "https://vpce-0abc-12.ecs.eu-west-1.vpce.amazonaws.com"))
        .isTrue();
    assertThat(EndpointPattern.matches(VPCE, "https://VPCE-0ABC.ecs.eu-west-1.vpce.amazonaws.com/"))
        .isTrue();
    assertThat(EndpointPattern.matches("http://127.0.0.1:*", "http://127.0.0.1:45123")).isTrue();
    assertThat(EndpointPattern.matches("https://ecs.example.com", "https://ecs.example.com:443"))
        .isTrue();
  }

  @Test
  void anotherHostPathUserInfoPortOrSchemeDoesNot() {
    // the review's attack: the pattern's tail in a path of another host
    assertThat(
            EndpointPattern.matches(
                VPCE, "https://vpce-0abc.attacker.net/.ecs.eu-west-1.vpce.amazonaws.com"))
        .isFalse();
    assertThat(EndpointPattern.matches(VPCE, "https://vpce-0abc.x.attacker.net")).isFalse();
    assertThat(
            EndpointPattern.matches(
                "https://vpce-x.example.com*", "https://vpce-x.example.com.evil.net"))
        .isFalse();
    assertThat(
            EndpointPattern.matches("https://ecs.example.com", "https://ecs.example.com@evil.net"))
        .isFalse();
    assertThat(EndpointPattern.matches("https://ecs.example.com", "https://ecs.example.com/x"))
        .isFalse();
    assertThat(EndpointPattern.matches("https://ecs.example.com", "https://ecs.example.com?x=1"))
        .isFalse();
    assertThat(EndpointPattern.matches("https://ecs.example.com", "https://ecs.example.com:8443"))
        .isFalse();
    assertThat(EndpointPattern.matches("https://ecs.example.com", "http://ecs.example.com"))
        .isFalse();
    assertThat(EndpointPattern.matches("http://127.0.0.1:*", "http://127.0.0.2:45123")).isFalse();
    assertThat(EndpointPattern.matches("*", "https://anything.example")).isFalse();
  }
}
