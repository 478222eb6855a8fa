package io.r2estream.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionParserTest {

  @Test
  void textModeReadsTheFirstCallWithItsThoughtAndOrderedParameters() {
    final String response = "I will look at the file first.\n\n<function=file_editor>\n"
        + "  <parameter=command>view</parameter>\n  <parameter = path> /testbed/a.py </parameter>\n</function>\n"
        + "<function=finish><parameter=command>submit</parameter></function>";
    final var found = assertInstanceOf(ParsedResponse.Found.class, ActionParser.parseText(response));
    assertEquals("I will look at the file first.", found.thought());
    assertEquals("file_editor", found.action().name());
    assertEquals(List.of("command", "path"), List.copyOf(found.action().parameters().keySet()));
    assertEquals("/testbed/a.py", found.action().parameter("path"), "values are stripped");
    assertEquals("<function=file_editor>\n  <parameter=command>view</parameter>\n"
        + "  <parameter=path>/testbed/a.py</parameter>\n</function>", found.action().toXml());
  }

  @Test
  void multiLineValuesKeepTheirInnerLinesAndIndentation() {
    final String response = "<function=file_editor>\n<parameter=command>str_replace</parameter>\n"
        + "<parameter=old_str>\n    def f():\n        return 1\n</parameter>\n"
        + "<parameter=new_str>    def f():\n        return 2</parameter>\n</function>";
    final var found = assertInstanceOf(ParsedResponse.Found.class, ActionParser.parseText(response));
    assertEquals("def f():\n        return 1", found.action().parameter("old_str"), "stripped at both ends only");
    assertEquals("def f():\n        return 2", found.action().parameter("new_str"));
    assertEquals("", found.thought());
  }

  @Test
  void aResponseWithoutACallIsNoFunctionCall() {
    final var none = assertInstanceOf(ParsedResponse.NoFunctionCall.class,
        ActionParser.parseText("  I think the bug is in wrap().  "));
    assertEquals("I think the bug is in wrap().", none.thought());
  }

  @Test
  void brokenTagsAreMalformedWithAReason() {
    final var unclosed = assertInstanceOf(ParsedResponse.Malformed.class,
        ActionParser.parseText("Let me run it.\n<function=execute_bash>\n<parameter=cmd>ls</parameter>\n"));
    assertEquals("Let me run it.", unclosed.thought());
    assertTrue(unclosed.reason().contains("<function=execute_bash>"), unclosed.reason());

    final var openParameter = assertInstanceOf(ParsedResponse.Malformed.class,
        ActionParser.parseText("<function=execute_bash>\n<parameter=cmd>ls -la\n</function>"));
    assertTrue(openParameter.reason().contains("<parameter=cmd>"), openParameter.reason());
    assertTrue(openParameter.reason().contains("never closed"), openParameter.reason());

    final var spaced = assertInstanceOf(ParsedResponse.Malformed.class,
        ActionParser.parseText("<function = search><parameter=search_term>x</parameter></function>"));
    assertTrue(spaced.reason().contains("<function=NAME>"), spaced.reason());
  }

  @Test
  void anUnknownToolNameIsStillParsed() {
    final var found = assertInstanceOf(ParsedResponse.Found.class,
        ActionParser.parseText("<function=open_browser>\n<parameter=url>x</parameter>\n</function>"));
    assertEquals("open_browser", found.action().name());
  }

  @Test
  void aRepeatedParameterKeepsItsFirstPositionAndLastValue() {
    final var found = assertInstanceOf(ParsedResponse.Found.class, ActionParser.parseText(
        "<function=search><parameter=path>a</parameter><parameter=search_term>t</parameter>"
            + "<parameter=path>b</parameter></function>"));
    assertEquals(List.of("path", "search_term"), List.copyOf(found.action().parameters().keySet()));
    assertEquals("b", found.action().parameter("path"));
  }

  @Test
  void functionCallingArgumentsBecomeStringsAsPythonPrintsThem() throws Exception {
    final var message = new ObjectMapper().readTree("{\"role\":\"assistant\",\"content\":\"Viewing.\","
        + "\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"file_editor\","
        + "\"arguments\":\"{\\\"command\\\":\\\"view\\\",\\\"path\\\":\\\"/testbed/a.py\\\","
        + "\\\"view_range\\\":[3,-1],\\\"concise\\\":true,\\\"insert_line\\\":4,\\\"old_str\\\":null}\"}},"
        + "{\"id\":\"c2\",\"type\":\"function\",\"function\":{\"name\":\"finish\",\"arguments\":\"{}\"}}]}");
    final var found = assertInstanceOf(ParsedResponse.Found.class, ActionParser.parseMessage(message));
    assertEquals("Viewing.", found.thought());
    final Map<String, String> expected = new LinkedHashMap<>();
    expected.put("command", "view");
    expected.put("path", "/testbed/a.py");
    expected.put("view_range", "[3, -1]");
    expected.put("concise", "True");
    expected.put("insert_line", "4");
    assertEquals(new Action("file_editor", expected), found.action(), "only the first call counts; nulls dropped");
  }

  @Test
  void functionCallingErrorsAreMalformed() throws Exception {
    final var broken = assertInstanceOf(ParsedResponse.Malformed.class,
        ActionParser.parseToolCall("", "execute_bash", "{\"cmd\": \"ls"));
    assertTrue(broken.reason().contains("not valid JSON"), broken.reason());
    final var array = assertInstanceOf(ParsedResponse.Malformed.class,
        ActionParser.parseToolCall("", "execute_bash", "[\"ls\"]"));
    assertTrue(array.reason().contains("not a JSON object"), array.reason());
    final var noName = assertInstanceOf(ParsedResponse.Malformed.class, ActionParser.parseMessage(new ObjectMapper()
        .readTree("{\"content\":null,\"tool_calls\":[{\"function\":{\"arguments\":\"{}\"}}]}")));
    assertTrue(noName.reason().contains("no function name"), noName.reason());
    final var noCalls = assertInstanceOf(ParsedResponse.NoFunctionCall.class,
        ActionParser.parseMessage(new ObjectMapper().readTree("{\"content\":\"Done?\",\"tool_calls\":[]}")));
    assertEquals("Done?", noCalls.thought());
    final var emptyArgs = assertInstanceOf(ParsedResponse.Found.class, ActionParser.parseToolCall(null, "finish", ""));
    assertTrue(emptyArgs.action().parameters().isEmpty());
  }

  @Test
  void theSchemasDescribeTheFourTools() {
    assertEquals(ToolBox.TOOLS, ToolSchemas.all().findValuesAsText("name"));
    assertNotNull(ToolSchemas.of("execute_bash"));
    assertEquals("cmd", ToolSchemas.of("execute_bash").path("function").path("parameters").path("required").get(0)
        .asText());
    assertNull(ToolSchemas.of("open_browser"));
  }

  @Test
  void aRecordedActionReadsBackExactlyWhereTheModelFacingParserStrips() {
    final Action indented = new Action("file_editor", java.util.Map.of("command", "str_replace", "old_str",
        "    x = 1\n", "new_str", "    x = 2\n"));
    assertEquals(indented, ((ParsedResponse.Found) ActionParser.parseRecorded(indented.toXml())).action());
    assertEquals("x = 1", ((ParsedResponse.Found) ActionParser.parseText(indented.toXml())).action()
        .parameter("old_str"));
  }
}
