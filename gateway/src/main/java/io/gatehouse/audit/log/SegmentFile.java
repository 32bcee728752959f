package io.gatehouse.audit.log;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The open segment under {@link AuditLog}: it grows by whole batches only. After a failed append the channel is
 * dropped and the next append reopens the file and cuts off whatever part of the failed batch reached it, so the
 * retried batch lands where it belongs and no line is ever left half written. Confined to the writer thread.
 */
final class SegmentFile {
  private static final System.Logger LOG = System.getLogger(SegmentFile.class.getName());

  private final Path dir;
  private final Path file;
  private FileChannel channel;
  /** File length after the last whole batch; -1 before the file was first opened. */
  private long committedSize = -1;

  SegmentFile(Path dir, String fileName) {
    this.dir = dir;
    this.file = dir.resolve(fileName);
  }

  /** Bytes in the file after the last whole batch (what a reopen keeps); -1 before the first append. */
  long committedSize() {
    return committedSize;
  }

  /**
   * Syncs what was appended to the disk: before a checkpoint is signed over it. A failure drops the channel, as a
   * failed append does, and is the caller's to retry.
   */
  void force() throws IOException {
    if (channel == null) return;
    try {
      channel.force(false);
    } catch (IOException e) {
      discardChannel();
      throw e;
    }
  }

  Path path() {
    return file;
  }

  /** Appends all of {@code bytes}, creating the directory and file if needed; on failure nothing counts as written. */
  void append(ByteBuffer bytes) throws IOException {
    try {
      if (channel == null) channel = openAtCommittedEnd();
      long length = bytes.remaining();
      while (bytes.hasRemaining()) channel.write(bytes);
      committedSize += length;
    } catch (IOException e) {
      discardChannel();
      throw e;
    }
  }

  /** Syncs to disk and closes; the next {@link #append} would reopen. */
  void close() throws IOException {
    if (channel == null) return;
    try {
      channel.force(true);
    } finally {
      discardChannel();
    }
  }

  private FileChannel openAtCommittedEnd() throws IOException {
    Files.createDirectories(dir);
    FileChannel opened = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      long size = opened.size();
      if (committedSize >= 0 && size > committedSize) {
        opened.truncate(committedSize); // the torn tail of the failed batch
      } else if (committedSize > size) {
        LOG.log(Level.WARNING, "audit segment is shorter than what this writer wrote (truncated or replaced "
            + "outside the gateway): " + file);
      }
      committedSize = opened.size();
      opened.position(committedSize);
      return opened;
    } catch (IOException e) {
      opened.close();
      throw e;
    }
  }

  private void discardChannel() {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a channel that is being given up; the failure that led here is reported by the caller
    }
    channel = null;
  }
}
