package io.r2estream.deploy.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2estream.streams.ranking.BestAtK;
import io.r2estream.streams.ranking.CandidateScores;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The plot renders headless to a valid PNG and a well-formed SVG carrying every curve's label. */
class BestKPlotTest {

  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

  @TempDir
  Path dir;

  static BestAtK.Result sample() {
    return BestAtK.sample(Map.of(
        "A", List.of(new CandidateScores("a1", 5.0, 1.0, 0.9, 0.0), new CandidateScores("a2", 5.0, 2.0, 0.5, 1.0),
            new CandidateScores("a3", 3.0, 0.0, 0.7, 1.0), new CandidateScores("a4", 1.0, 0.0, 0.1, 0.0)),
        "B", List.of(new CandidateScores("b1", 1.0, 0.0, 0.2, 1.0), new CandidateScores("b2", 1.0, 0.0, 0.8, 0.0),
            new CandidateScores("b3", 0.0, 0.0, 0.8, 0.0), new CandidateScores("b4", 2.0, 1.0, 0.3, 1.0))),
        new BestAtK.Options(200, 1, 0, io.r2estream.streams.ranking.SelectionRules.Weights.EQUAL));
  }

  @Test
  void pngIsAValidImageOfTheChartsSize() throws Exception {
    final Path png = dir.resolve("bestk.png");
    BestKPlot.writePng(sample(), png);
    final byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, 8));
    final BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(BestKPlot.WIDTH, image.getWidth());
    assertEquals(BestKPlot.HEIGHT, image.getHeight());
  }

  @Test
  void svgIsWellFormedXmlWithEveryCurveLabelled() throws Exception {
    final Path svg = dir.resolve("bestk.svg");
    BestKPlot.writeSvg(sample(), svg);
    final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    // The SVG names the SVG 1.1 DTD; a well-formedness check must not fetch it (no network here).
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    final Document doc = factory.newDocumentBuilder().parse(svg.toFile());
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
    final String text = doc.getDocumentElement().getTextContent();
    for (final BestAtK.Method m : BestKReport.METHODS) {
      assertTrue(text.contains(m.label()), m.label() + " is labelled");
    }
    assertTrue(text.contains("K (candidates per task the verifier chooses from)"));
  }
}
