package io.gatehouse.audit.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentFileTest {
  @TempDir Path tmp;

  @Test
  void cutsOffBytesPastTheLastWholeBatchWhenItReopens() throws Exception {
    SegmentFile log = new SegmentFile(tmp, "seg-00000000000000000000.jsonl");
    log.append(bytes("{\"n\":1}\n"));
    log.close();
    // What a failed append leaves behind: part of a batch after the last whole one.
    Files.writeString(log.path(), "{\"n\":2,\"tor", StandardOpenOption.APPEND);

    log.append(bytes("{\"n\":2}\n"));
    log.close();

    assertThat(Files.readString(log.path())).isEqualTo("{\"n\":1}\n{\"n\":2}\n");
  }

  @Test
  void continuesAnExistingFileWhenFirstOpened() throws Exception {
    Files.writeString(tmp.resolve("seg-00000000000000000000.jsonl"), "{\"n\":0}\n");
    SegmentFile log = new SegmentFile(tmp, "seg-00000000000000000000.jsonl");

    log.append(bytes("{\"n\":1}\n"));
    log.close();

    assertThat(Files.readString(log.path())).isEqualTo("{\"n\":0}\n{\"n\":1}\n");
  }

  @Test
  void failsWithoutWritingWhileTheDirectoryCannotBeCreatedAndWorksOnceItCan() throws Exception {
    Path dir = tmp.resolve("audit");
    Files.writeString(dir, "not a directory");
    SegmentFile log = new SegmentFile(dir, "seg-00000000000000000000.jsonl");

    assertThatThrownBy(() -> log.append(bytes("{\"n\":1}\n"))).isInstanceOf(IOException.class);
    Files.delete(dir);
    log.append(bytes("{\"n\":1}\n"));
    log.close();

    assertThat(Files.readString(log.path())).isEqualTo("{\"n\":1}\n");
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }
}
