package io.gatehouse.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What Gatehouse logs (through JUL, where System.Logger goes) under one logger and its children, kept for assertions
 * while it is open. The logger is held here: JUL keeps loggers weakly, and a collected one would come back without
 * the capturing handler.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override public void publish(LogRecord record) { records.add(record); }
    @Override public void flush() { }
    @Override public void close() { }
  };

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    logger.addHandler(handler);
  }

  /** Starts capturing {@code loggerName} (e.g. {@code "io.gatehouse"} for everything Gatehouse logs). */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public List<LogRecord> records() { return records; }

  /** Each record's message with its parameters filled in. */
  public List<String> lines() {
    SimpleFormatter format = new SimpleFormatter();
    return records.stream().map(format::formatMessage).toList();
  }

  public void clear() { records.clear(); }

  @Override public void close() {
    logger.removeHandler(handler);
  }
}
