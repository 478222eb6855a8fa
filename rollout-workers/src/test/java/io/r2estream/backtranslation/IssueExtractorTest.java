package io.r2estream.backtranslation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IssueExtractorTest {

  @Test
  void takesTheBlockWithoutTagsAndSurroundingWhitespace() {
    assertEquals(Optional.of("Title: it breaks\n\nDetails."),
        IssueExtractor.extract("Analysis: ...\n[ISSUE]\n  Title: it breaks\n\nDetails.\n[/ISSUE]\nDone."));
  }

  @Test
  void theLastBlockWinsOverQuotedOnes() {
    assertEquals(Optional.of("the real one"), IssueExtractor.extract(
        "Like the example [ISSUE]example echo[/ISSUE], I will now write:\n[ISSUE]the real one[/ISSUE]"));
  }

  @Test
  void aMissingClosingTagAtTheEndIsTolerated() {
    assertEquals(Optional.of("Title: cut short\nThe model ran out of"),
        IssueExtractor.extract("[ISSUE]draft[/ISSUE]\nFinal:\n[ISSUE]\nTitle: cut short\nThe model ran out of"));
  }

  @Test
  void emptyBlocksAreSkippedAndTagsMatchInAnyCase() {
    assertEquals(Optional.of("kept"), IssueExtractor.extract("[issue]kept[/Issue] then [ISSUE]  \n [/ISSUE]"));
  }

  @Test
  void noBlockIsAFailure() {
    assertEquals(Optional.empty(), IssueExtractor.extract("I cannot help with that."));
    assertEquals(Optional.empty(), IssueExtractor.extract("[ISSUE][/ISSUE]"));
    assertEquals(Optional.empty(), IssueExtractor.extract(""));
    assertEquals(Optional.empty(), IssueExtractor.extract(null));
  }
}
