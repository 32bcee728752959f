package io.gatehouse.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Verifies a directory both ways and checks they agree: verify-log's fast pass, and reading every line from the start. */
final class BothPasses {
  private BothPasses() {}

  /**
   * The fast pass's result, once it has been found equal to reading every line: finding for finding, with the same
   * entries and checkpoints, each checkpoint heard by the listener once, in log order.
   */
  static LogVerifier.Result verify(LogVerifier verifier, Path dir) throws IOException {
    List<String> heard = new ArrayList<>();
    List<String> heardReadingAll = new ArrayList<>();
    LogVerifier.Result fast = verifier.verify(dir, (c, file, line) -> heard.add(c.size() + "@" + file + ":" + line));
    LogVerifier.Result all = verifier.readingEveryLine()
        .verify(dir, (c, file, line) -> heardReadingAll.add(c.size() + "@" + file + ":" + line));
    assertThat(fast.findings()).as("the fast pass finds what reading every line finds")
        .containsExactlyElementsOf(all.findings());
    assertThat(fast.entries()).isEqualTo(all.entries());
    assertThat(fast.checkpoints()).isEqualTo(all.checkpoints());
    assertThat(heard).as("checkpoints heard").containsExactlyElementsOf(heardReadingAll);
    return fast;
  }
}
