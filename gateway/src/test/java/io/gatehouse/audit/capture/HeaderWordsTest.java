package io.gatehouse.audit.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderWordsTest {
  /** The rules as first written, as regular expressions: the hand-written checks must agree with them. */
  private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]{1,64}/[a-z0-9!#$&^_.+-]{1,64}");
  private static final Pattern ENCODING = Pattern.compile("[a-z0-9-]{1,32}(\\s*,\\s*[a-z0-9-]{1,32}){0,3}");
  private static final String ALPHABET = "aZ9/;, \t-+.!#=\"é\u000Bx";

  @Test
  void keepsTheMediaTypeAloneAndDropsParameters() {
    assertThat(HeaderWords.mediaType("Application/JSON; charset=utf-8; patient=Jane Doe")).isEqualTo("application/json");
    assertThat(HeaderWords.mediaType("application/vnd.api+json")).isEqualTo("application/vnd.api+json");
    assertThat(HeaderWords.mediaType("Jane Doe")).isEqualTo(HeaderWords.INVALID);
    assertThat(HeaderWords.mediaType("text/")).isEqualTo(HeaderWords.INVALID);
    assertThat(HeaderWords.mediaType(null)).isNull();
  }

  @Test
  void keepsEncodingsAsTokensOnly() {
    assertThat(HeaderWords.encoding("GZIP")).isEqualTo("gzip");
    assertThat(HeaderWords.encoding("gzip , br")).isEqualTo("gzip , br");
    assertThat(HeaderWords.encoding("identity")).isNull();
    assertThat(HeaderWords.encoding("gzip,")).isEqualTo(HeaderWords.INVALID);
    assertThat(HeaderWords.encoding("a,b,c,d,e")).isEqualTo(HeaderWords.INVALID);
    assertThat(HeaderWords.encoding("x" + "y".repeat(32))).isEqualTo(HeaderWords.INVALID);
  }

  @Test
  void agreesWithTheRegularExpressionsOnRandomHeaders() {
    Random random = new Random(7);
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(random.nextBoolean() ? 12 : 80);
      for (int i = 0; i < length; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      String header = b.toString();
      assertThat(HeaderWords.mediaType(header)).as(header).isEqualTo(expectedType(header));
      assertThat(HeaderWords.encoding(header)).as(header).isEqualTo(expectedEncoding(header));
    }
  }

  private static String expectedType(String header) {
    int semicolon = header.indexOf(';');
    String type = (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    return MEDIA_TYPE.matcher(type).matches() ? type : HeaderWords.INVALID;
  }

  private static String expectedEncoding(String header) {
    String value = header.trim().toLowerCase(Locale.ROOT);
    if (value.isEmpty() || value.equals("identity")) return null;
    return ENCODING.matcher(value).matches() ? value : HeaderWords.INVALID;
  }
}
