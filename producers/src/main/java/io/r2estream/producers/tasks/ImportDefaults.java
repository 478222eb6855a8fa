package io.r2estream.producers.tasks;

import io.r2estream.avro.EnvironmentRef;
import java.util.Locale;

/**
 * What an imported task gets for the environment fields a dataset row lacks. Neither R2E-Gym nor SWE-bench rows say
 * how to run the tests beyond the image; both kinds of image carry a test script, so the defaults run it.
 *
 * @param image       env image for rows without one (SWE-bench rows); null: the public SWE-bench image of the
 *                    instance, {@code swebench/sweb.eval.x86_64.<instance id, "__" → "_1776_", lower case>:latest}
 * @param testCommand how the hidden tests run, e.g. {@code bash /run_tests.sh}
 * @param workdir     repository checkout inside the image
 * @param logParser   parser of the test log in the parser registry
 */
public record ImportDefaults(String image, String testCommand, String workdir, String logParser) {

  /** R2E-Gym images keep the hidden-test script at /testbed/run_tests.sh (pytest -rA over /r2e_tests). */
  public static final String R2E_TEST_COMMAND = "bash /testbed/run_tests.sh";
  /** SWE-bench evaluation images carry /run_tests.sh, which applies the test patch and runs the tests. */
  public static final String SWEBENCH_TEST_COMMAND = "bash /run_tests.sh";
  public static final String WORKDIR = "/testbed";
  public static final String LOG_PARSER = "pytest";

  /** The defaults of a format, with an image chosen by the user (null for the format's own default). */
  public static ImportDefaults of(final TaskRowFormat format, final String image) {
    return new ImportDefaults(image == null || image.isBlank() ? null : image,
        format == TaskRowFormat.SWEBENCH ? SWEBENCH_TEST_COMMAND : R2E_TEST_COMMAND, WORKDIR, LOG_PARSER);
  }

  /** The image of a row: the row's own, else the configured one, else the public SWE-bench image. */
  String imageFor(final String rowImage, final String instanceId) {
    if (rowImage != null && !rowImage.isBlank()) {
      return rowImage;
    }
    if (image != null) {
      return image;
    }
    return "swebench/sweb.eval.x86_64." + instanceId.replace("__", "_1776_").toLowerCase(Locale.ROOT) + ":latest";
  }

  EnvironmentRef environment(final String image) {
    return EnvironmentRef.newBuilder().setImage(image).setTestCommand(testCommand).setWorkdir(workdir)
        .setLogParser(logParser).build();
  }
}
