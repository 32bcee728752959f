package io.gatehouse.guard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written b64token check agrees with RFC 6750 §2.1's grammar, written as the regex it replaced. */
class BearerTokenSyntaxTest {
  private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  @Test void acceptsExactlyWhatTheGrammarAccepts() {
    for (String token : List.of("a", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln", "abc==", "a-b.c_d~e+f/g", "=", "",
        "a=b", "a b", "a\tb", "ä", "a,b", "abc===x", "x\n", "%41", "a\"b")) {
      assertThat(BearerTokenGuard.isB64Token(token)).as(token).isEqualTo(GRAMMAR.matcher(token).matches());
    }
    for (char c = 0; c < 256; c++) {
      String token = "a" + c + "b";
      assertThat(BearerTokenGuard.isB64Token(token)).as("char %d", (int) c).isEqualTo(GRAMMAR.matcher(token).matches());
    }
  }
}
