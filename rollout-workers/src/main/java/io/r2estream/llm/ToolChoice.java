package io.r2estream.llm;

/**
 * Whether and which tool the model must call (OpenAI {@code tool_choice}): {@code auto} (it decides), {@code none}
 * (text only), {@code required} (some tool), or one named function.
 *
 * @param mode     {@code auto}, {@code none}, {@code required} or {@code function}
 * @param function the function's name when {@code mode} is {@code function}, null otherwise
 */
public record ToolChoice(String mode, String function) {

  private static final ToolChoice AUTO = new ToolChoice("auto", null);
  private static final ToolChoice NONE = new ToolChoice("none", null);
  private static final ToolChoice REQUIRED = new ToolChoice("required", null);

  public ToolChoice {
    final boolean named = "function".equals(mode);
    if (!named && !"auto".equals(mode) && !"none".equals(mode) && !"required".equals(mode)) {
      throw new IllegalArgumentException("tool choice must be auto, none, required or function, got '" + mode + "'");
    }
    if (named == (function == null || function.isBlank())) {
      throw new IllegalArgumentException("tool choice '" + mode + "' " + (named ? "needs" : "takes no")
          + " function name, got '" + function + "'");
    }
  }

  public static ToolChoice auto() {
    return AUTO;
  }

  public static ToolChoice none() {
    return NONE;
  }

  public static ToolChoice required() {
    return REQUIRED;
  }

  /** The model must call the function {@code name}. */
  public static ToolChoice function(final String name) {
    return new ToolChoice("function", name);
  }
}
