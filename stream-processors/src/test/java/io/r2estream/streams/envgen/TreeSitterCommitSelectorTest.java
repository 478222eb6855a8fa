package io.r2estream.streams.envgen;

import java.util.HashMap;
import java.util.Map;

/** Every rule test of {@link CommitSelectorTest} again, with the tree-sitter parser: same decisions expected. */
class TreeSitterCommitSelectorTest extends CommitSelectorTest {

  @Override
  SweGenConfig config(final Map<String, String> overrides) {
    final Map<String, String> withParser = new HashMap<>(overrides);
    withParser.put(SweGenConfig.PYTHON_PARSER_CONFIG, SweGenConfig.Parser.TREE_SITTER.id());
    return SweGenConfig.fromProperties(withParser);
  }
}
