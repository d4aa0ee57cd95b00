package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ALB path patterns and host names as Ingress / Gateway API matches, as data. */
class AlbPatternsTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "/health,        Exact,                  /health",
    "*,              Prefix,                 /",
    "/*,             Prefix,                 /",
    "/api/*,         Prefix,                 /api/",
    "/a/b/*,         Prefix,                 /a/b/",
    "/api*,          ImplementationSpecific, /api*",
    "/img/*.png,     ImplementationSpecific, /img/*.png",
    "/v?/x,          ImplementationSpecific, /v?/x",
    "/a/*/b/*,       ImplementationSpecific, /a/*/b/*",
  })
  void ingressPaths(String pattern, String type, String path) {
    assertThat(AlbPatterns.ingressPath(pattern)).isEqualTo(new AlbPatterns.IngressPath(type, path));
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "/health,    Exact,             /health",
    "/*,         PathPrefix,        /",
    "/api/*,     PathPrefix,        /api/",
    "/img/*.png, RegularExpression, /img/.*\\.png",
    "/v?/x,      RegularExpression, /v./x",
  })
  void gatewayPaths(String pattern, String type, String value) {
    assertThat(AlbPatterns.gatewayPath(pattern))
        .isEqualTo(new AlbPatterns.GatewayPath(type, value));
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "/img/*.png, /img/a/b.png, true",
    "/img/*.png, /img/apng,    false",
    "/v?/x,      /v1/x,        true",
    "/v?/x,      /v10/x,       false",
    "/a+b/*,     /a+b/c,       true",
    "/a+b/*,     /aab/c,       false",
  })
  void regexMatchesWhatAlbMatches(String pattern, String path, boolean matches) {
    assertThat(Pattern.matches(AlbPatterns.regex(pattern), path)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "shop.example.com,   true",
    "*.example.com,      true",
    "api-?.example.com,  false",
    "api.*.example.com,  false",
    "*.*.example.com,    false",
  })
  void plainHosts(String host, boolean plain) {
    assertThat(AlbPatterns.isPlainHost(host)).isEqualTo(plain);
  }
}
