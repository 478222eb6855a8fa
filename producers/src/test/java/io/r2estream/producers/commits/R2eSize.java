package io.r2estream.producers.commits;

import io.r2estream.avro.CommitEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/** Avro binary size of an event, to check the scanner's size estimate against the real encoding. */
final class R2eSize {

  private R2eSize() {
  }

  static int of(final CommitEvent e) {
    try {
      final ByteArrayOutputStream out = new ByteArrayOutputStream();
      final BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(CommitEvent.class).write(e, enc);
      enc.flush();
      return out.size();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }
}
