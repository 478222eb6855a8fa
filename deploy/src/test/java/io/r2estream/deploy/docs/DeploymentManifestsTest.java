package io.r2estream.deploy.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import io.r2estream.deploy.platform.PlatformComponent;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/docker-compose.yml and deploy/k8s describe the same deployment: the same roles, each with the same image,
 * command and configuration keys, every key a real platform key, every {@code R2E_COMPONENTS} a valid selection, and
 * every component of the platform run somewhere.
 */
class DeploymentManifestsTest {

  private static final Path COMPOSE = Path.of("docker-compose.yml");
  private static final Path K8S = Path.of("k8s");
  /** Variables the platform reads as configuration keys (Micronaut maps R2E_A_B to r2e.a.b / r2e.a-b). */
  private static final Pattern PLATFORM_VAR = Pattern.compile("(R2E|MICRONAUT)_[A-Z0-9_]+");
  /** Variables compared between compose and Kubernetes: the platform's plus the PostgreSQL image's. */
  private static final Pattern COMPARED_VAR = Pattern.compile("(R2E|MICRONAUT|POSTGRES)_[A-Z0-9_]+");
  private static final Set<String> DOCKER_ROLES = Set.of("swe-gen", "rollout", "verifiers");
  private static final String EXTERNAL = "<from the environment or a secret>";

  /** One container of a role: image, command, effective environment, mounted paths. */
  record Role(String image, List<String> command, Map<String, String> env, Set<String> mounts) {
  }

  @Test
  void composeAndKubernetesRunTheSameRolesWithTheSameKeys() throws IOException {
    final Map<String, Role> compose = composeRoles();
    final Map<String, Role> k8s = kubernetesRoles();
    assertEquals(new TreeSet<>(compose.keySet()), new TreeSet<>(k8s.keySet()), "roles of compose vs k8s");
    for (final String name : compose.keySet()) {
      final Role c = compose.get(name);
      final Role k = k8s.get(name);
      assertEquals(c.image(), k.image(), name + ": image");
      assertEquals(c.command(), k.command(), name + ": command");
      final Map<String, String> cv = compared(c.env());
      final Map<String, String> kv = compared(k.env());
      assertEquals(cv.keySet(), kv.keySet(), name + ": configuration keys");
      cv.forEach((key, value) -> {
        if (!value.equals(EXTERNAL) && !kv.get(key).equals(EXTERNAL)) {
          assertEquals(value, kv.get(key), name + ": value of " + key);
        }
      });
      final boolean docker = DOCKER_ROLES.contains(c.env().getOrDefault("R2E_COMPONENTS", ""));
      assertEquals(docker, c.mounts().contains("/var/run/docker.sock"), name + ": Docker socket in compose");
      assertEquals(docker, k.mounts().contains("/var/run/docker.sock"), name + ": Docker socket in k8s");
    }
  }

  @Test
  void everyVariableIsAConfigKeyAndEveryComponentRuns() throws IOException {
    final Map<String, String> known = knownKeysByVariable();
    for (final Map<String, Role> roles : List.of(composeRoles(), kubernetesRoles())) {
      final Set<PlatformComponent> deployed = EnumSet.noneOf(PlatformComponent.class);
      roles.forEach((name, role) -> role.env().forEach((var, value) -> {
        if (PLATFORM_VAR.matcher(var).matches()) {
          assertTrue(known.containsKey(var), name + ": " + var + " is no configuration key of the platform");
        }
        if (var.equals("R2E_COMPONENTS")) {
          assertFalse(value.isBlank() || value.equalsIgnoreCase(PlatformComponent.ALL), name + " must name its components");
          deployed.addAll(PlatformComponent.selected(Map.of(ConfigKeys.COMPONENTS, value)));
        }
      }));
      assertEquals(EnumSet.allOf(PlatformComponent.class), deployed, "every component runs in some role");
    }
  }

  @Test
  void imagesAreTheProjectsOwnAtItsVersionAndNeverPulled() throws IOException {
    final Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "deploy/pom.xml has a parent version");
    final Set<String> ours = Set.of("r2e/platform:" + m.group(1), "r2e/postgres:" + m.group(1));
    for (final Map<String, Role> roles : List.of(composeRoles(), kubernetesRoles())) {
      roles.forEach((name, role) -> assertTrue(ours.contains(role.image()), name + " runs " + role.image()
          + ", not one of the images build-images.sh makes: " + ours));
    }
    for (final Map<String, Object> doc : k8sDocuments()) {
      for (final Map<String, Object> container : containers(doc)) {
        assertTrue(Set.of("Never", "IfNotPresent").contains(container.get("imagePullPolicy")),
            "locally built images must not be pulled: " + container.get("name"));
      }
    }
  }

  @Test
  void kustomizationListsEveryManifestAndTheSecretsItReferences() throws IOException {
    final Map<String, Object> kustomization = load(K8S.resolve("kustomization.yaml"));
    final Set<String> listed = new TreeSet<>(strings(kustomization.get("resources")));
    try (Stream<Path> files = Files.list(K8S)) {
      final Set<String> present = files.map(p -> p.getFileName().toString())
          .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(present, listed, "kustomization resources vs deploy/k8s/*.yaml");
    }
    final Set<String> secretKeys = new TreeSet<>();
    for (final String line : Files.readAllLines(K8S.resolve("secrets.env.example"))) {
      if (line.contains("=")) {
        secretKeys.add(line.substring(0, line.indexOf('=')));
      }
    }
    for (final Map<String, Object> doc : k8sDocuments()) {
      for (final Map<String, Object> container : containers(doc)) {
        for (final Map<String, Object> e : maps(container.get("env"))) {
          final Map<String, Object> ref = map(map(e.get("valueFrom")).get("secretKeyRef"));
          if (!ref.isEmpty()) {
            assertEquals("r2e-secrets", ref.get("name"));
            assertTrue(secretKeys.contains(String.valueOf(ref.get("key"))), "secret key " + ref.get("key")
                + " is missing from secrets.env.example");
          }
        }
      }
    }
    assertTrue(Files.readString(Path.of("..", ".gitignore")).contains("deploy/k8s/secrets.env"),
        "secrets.env must not be committed");
  }

  // ---- compose ------------------------------------------------------------------------------------------------

  private static Map<String, Role> composeRoles() throws IOException {
    final Map<String, Role> out = new TreeMap<>();
    map(load(COMPOSE).get("services")).forEach((name, raw) -> {
      final Map<String, Object> s = map(raw);
      final Map<String, String> env = new LinkedHashMap<>();
      map(s.get("environment")).forEach((k, v) -> {
        final String value = v == null ? "" : String.valueOf(v);
        env.put(k, value.contains("${") ? EXTERNAL : value);
      });
      final Set<String> mounts = new TreeSet<>();
      for (final String volume : strings(s.get("volumes"))) {
        mounts.add(volume.split(":")[1]);
      }
      out.put(name, new Role(String.valueOf(s.get("image")), strings(s.get("command")), env, mounts));
    });
    return out;
  }

  // ---- Kubernetes ---------------------------------------------------------------------------------------------

  private static Map<String, Role> kubernetesRoles() throws IOException {
    final List<Map<String, Object>> docs = k8sDocuments();
    final Map<String, Map<String, Object>> configMaps = new LinkedHashMap<>();
    for (final Map<String, Object> doc : docs) {
      if ("ConfigMap".equals(doc.get("kind"))) {
        configMaps.put(String.valueOf(map(doc.get("metadata")).get("name")), map(doc.get("data")));
      }
    }
    final Map<String, Role> out = new TreeMap<>();
    for (final Map<String, Object> doc : docs) {
      final List<Map<String, Object>> containers = containers(doc);
      if (containers.isEmpty()) {
        continue;
      }
      assertEquals(1, containers.size(), "one container per role");
      final Map<String, Object> c = containers.get(0);
      final Map<String, String> env = new LinkedHashMap<>();
      for (final Map<String, Object> from : maps(c.get("envFrom"))) {
        final String cm = String.valueOf(map(from.get("configMapRef")).get("name"));
        assertTrue(configMaps.containsKey(cm), "ConfigMap " + cm + " is not in deploy/k8s");
        configMaps.get(cm).forEach((k, v) -> env.put(k, v == null ? "" : String.valueOf(v)));
      }
      for (final Map<String, Object> e : maps(c.get("env"))) {
        env.put(String.valueOf(e.get("name")), e.containsKey("valueFrom") ? EXTERNAL
            : String.valueOf(e.getOrDefault("value", "")));
      }
      final Set<String> mounts = new TreeSet<>();
      for (final Map<String, Object> m : maps(c.get("volumeMounts"))) {
        mounts.add(String.valueOf(m.get("mountPath")));
      }
      out.put(String.valueOf(map(doc.get("metadata")).get("name")),
          new Role(String.valueOf(c.get("image")), strings(c.get("args")), env, mounts));
    }
    return out;
  }

  private static List<Map<String, Object>> k8sDocuments() throws IOException {
    final List<Map<String, Object>> out = new ArrayList<>();
    for (final String file : strings(load(K8S.resolve("kustomization.yaml")).get("resources"))) {
      try (Reader r = Files.newBufferedReader(K8S.resolve(file))) {
        for (final Object doc : new Yaml().loadAll(r)) {
          if (doc != null) {
            final Map<String, Object> m = map(doc);
            assertTrue(m.containsKey("apiVersion") && m.containsKey("kind"), file + ": a document without kind");
            out.add(m);
          }
        }
      }
    }
    return out;
  }

  private static List<Map<String, Object>> containers(final Map<String, Object> doc) {
    if (!Set.of("Deployment", "StatefulSet", "Job").contains(doc.get("kind"))) {
      return List.of();
    }
    return maps(map(map(map(doc.get("spec")).get("template")).get("spec")).get("containers"));
  }

  // ---- keys ---------------------------------------------------------------------------------------------------

  /** Every configuration key of the platform (as ReadmeTest collects them), by its environment variable. */
  private static Map<String, String> knownKeysByVariable() {
    return Stream.of(ConfigKeys.class, io.r2estream.streams.envgen.SweGenConfig.class,
            io.r2estream.producers.push.IngestSettings.class, io.r2estream.envbuilder.EnvBuilderConfig.class,
            io.r2estream.rollout.RolloutConfig.class, io.r2estream.verifier.judge.JudgeConfig.class,
            io.r2estream.testgen.TestGenConfig.class, io.r2estream.verifier.execution.VerifierConfig.class,
            io.r2estream.streams.ranking.RankingConfig.class, io.r2estream.dashboard.DashboardConfig.class)
        .flatMap(c -> Arrays.stream(c.getFields()))
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(f -> {
          try {
            return String.valueOf(f.get(null));
          } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
          }
        })
        .filter(k -> (k.startsWith("r2e.") || k.startsWith("micronaut.")) && !k.endsWith("."))
        .collect(Collectors.toMap(k -> k.toUpperCase(Locale.ROOT).replaceAll("[.-]", "_"), k -> k, (a, b) -> a));
  }

  private static Map<String, String> compared(final Map<String, String> env) {
    final Map<String, String> out = new TreeMap<>();
    env.forEach((k, v) -> {
      if (COMPARED_VAR.matcher(k).matches()) {
        out.put(k, v);
      }
    });
    return out;
  }

  // ---- YAML helpers -------------------------------------------------------------------------------------------

  private static Map<String, Object> load(final Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return map(new Yaml().load(r));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(final Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<Map<String, Object>> maps(final Object o) {
    return o instanceof List<?> l ? l.stream().map(DeploymentManifestsTest::map).toList() : List.of();
  }

  private static List<String> strings(final Object o) {
    return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }
}
