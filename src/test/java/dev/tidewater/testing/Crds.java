package dev.tidewater.testing;

import static org.awaitility.Awaitility.await;

import dev.tidewater.api.v1alpha1.tenancy.TenancyPolicy;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The committed CRDs under {@code crds/}, applied to a cluster the way users apply them, with the
 * test ground's TenancyPolicy ({@link #GROUND_POLICY}).
 */
public final class Crds {

  public static final Path DIR = Path.of("crds");

  /**
   * The test ground's TenancyPolicy: every namespace may use the local AWS peer as its endpoint,
   * loosen guardrails and adopt, as the backends' ITs need (without it the built-in ceiling refuses
   * them). Applied with the CRDs, so an IT that removes and re-applies them gets it back.
   */
  public static final Path GROUND_POLICY = Path.of("hack", "testground", "tenancy-policy.yaml");

  private Crds() {}

  /** Every committed CRD file. */
  public static List<Path> files() {
    try (Stream<Path> s = Files.list(DIR)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Server-side applies every CRD of {@code crds/}, waits until each is Established, then applies
   * {@link #GROUND_POLICY}.
   */
  public static void apply(KubernetesClient client) {
    for (Path file : files()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd =
            client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.resource(crd).fieldManager("tidewater-tests").forceConflicts().serverSideApply();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> {
                  var current =
                      client
                          .apiextensions()
                          .v1()
                          .customResourceDefinitions()
                          .withName(crd.getMetadata().getName())
                          .get();
                  // a CRD just created may have a status without conditions yet
                  return current.getStatus() != null
                      && current.getStatus().getConditions() != null
                      && current.getStatus().getConditions().stream()
                          .anyMatch(
                              c ->
                                  "Established".equals(c.getType())
                                      && "True".equals(c.getStatus()));
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try (InputStream in = Files.newInputStream(GROUND_POLICY)) {
      client
          .resource(client.getKubernetesSerialization().unmarshal(in, TenancyPolicy.class))
          .fieldManager("tidewater-tests")
          .forceConflicts()
          .serverSideApply();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
