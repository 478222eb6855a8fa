package io.r2estream.deploy.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.config.ConfigKeys;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformComponentTest {

  @Test
  void absentBlankOrAllSelectsEverything() {
    assertEquals(EnumSet.allOf(PlatformComponent.class), PlatformComponent.selected(Map.of()));
    assertEquals(EnumSet.allOf(PlatformComponent.class), PlatformComponent.selected(Map.of(ConfigKeys.COMPONENTS, " ")));
    assertEquals(EnumSet.allOf(PlatformComponent.class), PlatformComponent.selected(Map.of(ConfigKeys.COMPONENTS, "ALL")));
    assertFalse(PlatformComponent.explicit(Map.of(ConfigKeys.COMPONENTS, "all")));
  }

  @Test
  void aListSelectsExactlyItsComponents() {
    final Map<String, String> props = Map.of(ConfigKeys.COMPONENTS, "rollout, Judge,,dashboard");
    assertEquals(EnumSet.of(PlatformComponent.ROLLOUT, PlatformComponent.JUDGE, PlatformComponent.DASHBOARD),
        PlatformComponent.selected(props));
    assertTrue(PlatformComponent.explicit(props));
  }

  @Test
  void unknownNamesAreRejectedWithTheKnownOnes() {
    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlatformComponent.selected(Map.of(ConfigKeys.COMPONENTS, "rollout,workers")));
    assertTrue(e.getMessage().contains("'workers'") && e.getMessage().contains("swe-gen"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PlatformComponent.selected(Map.of(ConfigKeys.COMPONENTS, ",")));
  }
}
