package io.r2estream.grading;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Reads JUnit XML reports (pytest {@code --junitxml}, Maven surefire, most CI tools). The "log" is the report text,
 * possibly several reports one after the other (each starting {@code <?xml}) and possibly preceded by other output.
 *
 * <p>Status per {@code <testcase>}: {@code <error>} ERROR, {@code <failure>} FAILED, {@code <skipped
 * type="pytest.xfail">} XFAIL, other {@code <skipped>} SKIPPED, none PASSED (a non-strict pytest XPASS is
 * indistinguishable from a pass in this format). Surefire's {@code <flakyFailure>} (passed on a rerun) stays
 * PASSED. Keys: {@code classname.name}, the JUnit convention (surefire's {@code com.x.FooTest.testBar}, the same
 * dotted style as the unittest parser); when a {@code file} attribute is present (pytest's xunit1 family) and the
 * classname starts with the file's module path, the key is the pytest node id {@code file::Class::name} instead,
 * equal to what the pytest parser reports. A pytest collection error (empty classname) is keyed by its file, or
 * by its dotted module name without a file attribute.
 * {@code suiteRan}: at least one report parsed, every report parsed, and each root is {@code testsuite} or
 * {@code testsuites}. DOCTYPEs and external entities are refused: reports come from untrusted code.
 */
public final class JUnitXmlLogParser implements TestLogParser {

  public static final String NAME = "junit-xml";

  private static final String XML_DECL = "<?xml";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ParsedLog parse(final String log) {
    final Map<String, TestStatus> statuses = new LinkedHashMap<>();
    final List<String> documents = documents(log == null ? "" : log);
    boolean allParsed = !documents.isEmpty();
    for (final String doc : documents) {
      try {
        final Element root = newBuilder().parse(new InputSource(new StringReader(doc))).getDocumentElement();
        if (!"testsuite".equals(root.getTagName()) && !"testsuites".equals(root.getTagName())) {
          allParsed = false;
          continue;
        }
        final NodeList cases = root.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
          final Element tc = (Element) cases.item(i);
          StatusMerge.put(statuses, id(tc), status(tc));
        }
      } catch (final Exception e) {
        // A truncated or hostile report is no evidence that the suite ran; what parsed before it stays.
        allParsed = false;
      }
    }
    return new ParsedLog(statuses, allParsed);
  }

  private static List<String> documents(final String log) {
    final List<String> docs = new ArrayList<>();
    int at = log.indexOf(XML_DECL);
    if (at < 0) {
      final int root = firstRoot(log);
      if (root >= 0) {
        docs.add(log.substring(root).strip());
      }
      return docs;
    }
    while (at >= 0) {
      final int next = log.indexOf(XML_DECL, at + XML_DECL.length());
      docs.add(trimAfterRoot(log.substring(at, next < 0 ? log.length() : next)));
      at = next;
    }
    return docs;
  }

  private static int firstRoot(final String log) {
    final int suites = log.indexOf("<testsuites");
    final int suite = log.indexOf("<testsuite");
    return suites >= 0 ? suites : suite;
  }

  /** Output printed after a report (e.g. by the next command) would make the document unparsable. */
  private static String trimAfterRoot(final String doc) {
    final int suites = doc.lastIndexOf("</testsuites>");
    if (suites >= 0) {
      return doc.substring(0, suites + "</testsuites>".length());
    }
    final int suite = doc.lastIndexOf("</testsuite>");
    return suite >= 0 ? doc.substring(0, suite + "</testsuite>".length()) : doc.strip();
  }

  private static TestStatus status(final Element tc) {
    TestStatus worst = TestStatus.PASSED;
    for (Node n = tc.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (!(n instanceof Element child)) {
        continue;
      }
      final TestStatus s = switch (child.getTagName()) {
        case "error" -> TestStatus.ERROR;
        case "failure" -> TestStatus.FAILED;
        case "skipped" -> "pytest.xfail".equals(child.getAttribute("type")) ? TestStatus.XFAIL : TestStatus.SKIPPED;
        default -> TestStatus.PASSED;
      };
      if (StatusMerge.severity(s) > StatusMerge.severity(worst)) {
        worst = s;
      }
    }
    return worst;
  }

  static String id(final Element tc) {
    final String cls = tc.getAttribute("classname");
    final String name = tc.getAttribute("name");
    final String file = tc.getAttribute("file");
    if (!file.isEmpty()) {
      final String module = (file.endsWith(".py") ? file.substring(0, file.length() - 3) : file).replace('/', '.');
      if (cls.isEmpty() && name.equals(module)) {
        return file;
      }
      if (file.endsWith(".py") && (cls.equals(module) || cls.startsWith(module + "."))) {
        final String classes = cls.substring(module.length());
        return file + (classes.isEmpty() ? "" : classes.replace(".", "::")) + "::" + name;
      }
    }
    return cls.isEmpty() ? name : cls + "." + name;
  }

  private static DocumentBuilder newBuilder() throws ParserConfigurationException {
    final DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setFeature("http://xml.org/sax/features/external-general-entities", false);
    f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    f.setNamespaceAware(false);
    final DocumentBuilder b = f.newDocumentBuilder();
    // The JDK's default handler prints "[Fatal Error]" to stderr before throwing; the exception is enough.
    b.setErrorHandler(new DefaultHandler());
    return b;
  }
}
