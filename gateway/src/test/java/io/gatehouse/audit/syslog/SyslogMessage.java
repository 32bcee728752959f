package io.gatehouse.audit.syslog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 5424 message read back strictly, for the shape the forwarder sends: a header of six space-separated fields,
 * exactly one SD-ELEMENT, a space and MSG. SD-PARAM values are unescaped the RFC's way (only {@code \"}, {@code \\}
 * and {@code \]}); the whole message must be valid UTF-8.
 */
record SyslogMessage(int pri, String timestamp, String hostname, String appName, String procId, String msgId,
    String sdId, Map<String, String> params, byte[] msg) {

  int facility() {
    return pri / 8;
  }

  int severity() {
    return pri % 8;
  }

  String msgText() {
    return new String(msg, StandardCharsets.UTF_8);
  }

  static SyslogMessage parse(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new AssertionError("not UTF-8: " + e);
    }
    int[] at = {0};
    String priVersion = token(text, at);
    if (!priVersion.matches("<[0-9]{1,3}>1")) throw new AssertionError("bad PRI/VERSION: " + priVersion);
    int pri = Integer.parseInt(priVersion.substring(1, priVersion.indexOf('>')));
    String timestamp = token(text, at);
    String hostname = token(text, at);
    String appName = token(text, at);
    String procId = token(text, at);
    String msgId = token(text, at);
    for (String field : new String[] {hostname, appName, procId, msgId}) {
      if (!field.chars().allMatch(c -> c > 32 && c < 127)) throw new AssertionError("not PRINTUSASCII: " + field);
    }
    if (text.charAt(at[0]) != '[') throw new AssertionError("no SD-ELEMENT at " + at[0]);
    at[0]++;
    int space = text.indexOf(' ', at[0]);
    String sdId = text.substring(at[0], space);
    at[0] = space;
    Map<String, String> params = new LinkedHashMap<>();
    while (text.charAt(at[0]) == ' ') {
      int eq = text.indexOf("=\"", at[0]);
      String name = text.substring(at[0] + 1, eq);
      StringBuilder value = new StringBuilder();
      int i = eq + 2;
      for (char c = text.charAt(i); c != '"'; c = text.charAt(++i)) {
        if (c == '\\' && "\"\\]".indexOf(text.charAt(i + 1)) >= 0) c = text.charAt(++i);
        else if (c == '"' || c == ']') throw new AssertionError("unescaped " + c + " in " + name);
        value.append(c);
      }
      params.put(name, value.toString());
      at[0] = i + 1;
    }
    if (text.charAt(at[0]) != ']' || text.charAt(at[0] + 1) != ' ') throw new AssertionError("SD not closed");
    int msgStart = text.substring(0, at[0] + 2).getBytes(StandardCharsets.UTF_8).length;
    return new SyslogMessage(pri, timestamp, hostname, appName, procId, msgId, sdId, params,
        Arrays.copyOfRange(bytes, msgStart, bytes.length));
  }

  private static String token(String text, int[] at) {
    int space = text.indexOf(' ', at[0]);
    if (space <= at[0]) throw new AssertionError("empty or missing header field at " + at[0]);
    String token = text.substring(at[0], space);
    at[0] = space + 1;
    return token;
  }
}
