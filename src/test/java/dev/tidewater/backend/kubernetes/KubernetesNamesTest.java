package dev.tidewater.backend.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ECS names as Kubernetes names, and the kubelet escape, as tables. */
class KubernetesNamesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "web,web",
    "log_router,log-router",
    "App,app",
    "_x_,x",
    "a.b,a-b",
    "consulClient,consulclient"
  })
  void dnsLabels(String ecs, String label) {
    assertThat(KubernetesNames.dnsLabel(ecs)).isEqualTo(label);
    assertThat(KubernetesNames.isDnsLabel(label)).isTrue();
  }

  @Test
  void longNamesAreCutWithAHashAndStayDistinct() {
    String a = "a".repeat(100) + "1";
    String b = "a".repeat(100) + "2";
    assertThat(KubernetesNames.dnsLabel(a)).hasSize(63).matches("a{54}-[0-9a-f]{8}");
    assertThat(KubernetesNames.dnsLabel(a)).isNotEqualTo(KubernetesNames.dnsLabel(b));
    assertThat(KubernetesNames.dnsLabel("___")).matches("x-[0-9a-f]{8}");
    assertThat(KubernetesNames.hashedDnsLabel("log_router", 0)).matches("log-router-[0-9a-f]{8}");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"team/Registry_Creds,team-registry-creds", "My.Secret,my.secret", "/a/b/,a-b"})
  void dnsSubdomains(String in, String out) {
    assertThat(KubernetesNames.dnsSubdomain(in)).isEqualTo(out);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "http,true",
    "web-8080,true",
    "8080,false",
    "web_http,false",
    "a-very-long-port-name,false",
    "a--b,false",
    "-a,false"
  })
  void portNames(String name, boolean valid) {
    assertThat(KubernetesNames.isPortName(name)).isEqualTo(valid);
  }

  @Test
  void escapeLeavesNullAndDollarFreeStringsAlone() {
    assertThat(KubeletExpansion.escape(null)).isNull();
    assertThat(KubeletExpansion.escape("abc")).isSameAs("abc");
    assertThat(KubeletExpansion.escapeAll(null)).isNull();
  }
}
