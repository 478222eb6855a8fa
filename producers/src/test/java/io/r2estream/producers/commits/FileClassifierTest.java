package io.r2estream.producers.commits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileClassifierTest {

  @Test
  void testFilePredicateIsR2eGyms() {
    final Map<String, Boolean> expected = new LinkedHashMap<>();
    expected.put("pkg/io_test.py", true);
    expected.put("pkg/test_io.py", true);
    expected.put("tests/helpers.py", true);
    expected.put("Tests/helper.py", true);
    expected.put("src/test/data.json", true);
    expected.put("Test/conftest.py", true);
    expected.put("pkg/testing/utils.py", false);
    expected.put("pkg/contest.py", false);
    expected.put("pkg/io_test.pyc", false);
    expected.put("pkg/latest_test_data.py", false);
    final Map<String, Boolean> actual = new LinkedHashMap<>();
    expected.keySet().forEach(p -> actual.put(p, FileClassifier.isTestFile(p)));
    assertEquals(expected, actual);
  }

  @Test
  void languageComesFromTheExtension() {
    assertEquals(List.of("python", "python", "cython", "markdown", "c"),
        List.of("a/b.py", "stubs/x.PYI", "fast.pyx", "README.md", "ext/mod.h").stream()
            .map(FileClassifier::language).toList());
    assertEquals(java.util.Arrays.asList(null, null, null),
        java.util.Arrays.asList(FileClassifier.language("Makefile"), FileClassifier.language(".gitignore"),
            FileClassifier.language("data.unknownext")));
  }
}
