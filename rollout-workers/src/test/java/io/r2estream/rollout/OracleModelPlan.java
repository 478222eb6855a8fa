package io.r2estream.rollout;

import io.r2estream.agent.OracleModel;
import java.util.List;

/** The first edit the oracle would make: a real fix for scripted-model tests to send. */
final class OracleModelPlan {

  private OracleModelPlan() {
  }

  static String first(final String goldPatch) {
    final OracleModel oracle = new OracleModel(goldPatch, "/testbed");
    final String reply = oracle.reply(List.of(), 0.0, 1).content();
    return reply.substring(reply.indexOf("<function="));
  }
}
