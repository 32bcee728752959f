package io.gatehouse.audit.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a segment file line by line, plain or compressed, into one reused buffer: no object per line, so reading is bound
 * by hashing, not by the garbage collector. A line is {@code buffer()[offset(), offset() + length())}, without its
 * newline; {@link #terminated()} tells whether it had one (a half-written last line does not).
 */
public final class SegmentLines implements AutoCloseable {
  /** A line longer than this is not one the writer wrote (entries are at most 64 KiB; a checkpoint is smaller). */
  public static final int MAX_LINE = 1 << 20;
  private final InputStream in;
  private byte[] buf = new byte[1 << 20];
  private int start;
  private int limit;
  private boolean eof;
  private int lineStart;
  private int lineLength;
  private boolean terminated;
  private long lineNumber;
  private long lineByteOffset;
  private long consumed;

  private SegmentLines(InputStream in) {
    this.in = in;
  }

  /** Opens {@code file}, decompressed as its name says ({@link SegmentCompression}). */
  public static SegmentLines open(Path file) throws IOException {
    InputStream raw = Files.newInputStream(file);
    try {
      return new SegmentLines(SegmentCompression.ofFileName(file.getFileName().toString()).reader(raw));
    } catch (IOException e) {
      raw.close();
      throw e;
    }
  }

  /** Opens {@code file} at byte {@code offset} (plain files only), counting lines from {@code firstLine}. */
  public static SegmentLines openAt(Path file, long offset, long firstLine) throws IOException {
    InputStream raw = Files.newInputStream(file);
    try {
      raw.skipNBytes(offset);
    } catch (IOException e) {
      raw.close();
      throw e;
    }
    SegmentLines lines = new SegmentLines(raw);
    lines.consumed = offset;
    lines.lineNumber = firstLine - 1;
    return lines;
  }

  /**
   * Moves to the next line.
   *
   * @return false at the end of the file
   * @throws IOException when reading fails or a line is longer than {@link #MAX_LINE}
   */
  public boolean next() throws IOException {
    while (true) {
      int newline = ByteSearch.newline(buf, start, limit);
      if (newline >= 0) {
        take(newline - start, true);
        return true;
      }
      if (eof) {
        if (limit == start) return false;
        take(limit - start, false);
        return true;
      }
      fill();
    }
  }

  private void take(int length, boolean withNewline) {
    lineStart = start;
    lineLength = length;
    terminated = withNewline;
    lineNumber++;
    lineByteOffset = consumed;
    int used = length + (withNewline ? 1 : 0);
    start += used;
    consumed += used;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, limit - start);
      limit -= start;
      start = 0;
    }
    if (limit == buf.length) {
      if (buf.length >= MAX_LINE + 1) throw new IOException("line " + (lineNumber + 1) + " is longer than " + MAX_LINE + " bytes");
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) eof = true;
    else limit += n;
  }

  public byte[] buffer() {
    return buf;
  }

  public int offset() {
    return lineStart;
  }

  public int length() {
    return lineLength;
  }

  public boolean terminated() {
    return terminated;
  }

  /** 1-based. */
  public long lineNumber() {
    return lineNumber;
  }

  /** Where the current line starts in the (uncompressed) file. */
  public long lineByteOffset() {
    return lineByteOffset;
  }

  /** Bytes read up to the end of the current line and its newline. */
  public long consumed() {
    return consumed;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
