package io.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryRedactorTest {

  @Test
  void replacesTheValueOfSecretLookingParameters() {
    // A plain table, not @ParameterizedTest: vertx-junit5 pulls junit-platform 1.9 over jupiter-params 5.12.
    String[][] cases = {
        {"token=abc", "token=REDACTED"},
        {"access_token=abc&page=2", "access_token=REDACTED&page=2"},
        {"code=4/0Ab&state=xyz&scope=openid", "code=REDACTED&state=REDACTED&scope=openid"},
        {"X-Api-Key=k1", "X-Api-Key=REDACTED"},
        {"apikey=k&api_key=k&key=k", "apikey=REDACTED&api_key=REDACTED&key=REDACTED"},
        {"client_secret=s&PASSWORD=p", "client_secret=REDACTED&PASSWORD=REDACTED"},
        {"sig=aa&signature=bb", "sig=REDACTED&signature=REDACTED"},
        {"id_token=a.b.c&jwt=a.b.c", "id_token=REDACTED&jwt=REDACTED"},
        {"sessionId=1&authorization=Bearer", "sessionId=REDACTED&authorization=REDACTED"},
        {"refresh_token=r", "refresh_token=REDACTED"},
    };
    for (String[] c : cases) {
      assertThat(redactListingEveryName(c[0])).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void keepsOrdinaryParametersTheirOrderAndEncodingAsSent() {
    String raw = "page=2&q=hello%20world&sort=name+asc&limit=10";

    assertThat(redactListingEveryName(raw)).isEqualTo(raw);
  }

  @Test
  void recognisesPercentEncodedSecretNames() {
    assertThat(redactListingEveryName("%74oken=abc&api%5Fkey=k")).isEqualTo("%74oken=REDACTED&api%5Fkey=REDACTED");
  }

  @Test
  void redactsEveryOccurrenceOfARepeatedParameter() {
    assertThat(redactListingEveryName("token=a&x=1&token=b")).isEqualTo("token=REDACTED&x=1&token=REDACTED");
  }

  @Test
  void redactsValuesContainingEqualsSigns() {
    assertThat(redactListingEveryName("sig=abc==&x=1")).isEqualTo("sig=REDACTED&x=1");
  }

  @Test
  void leavesParametersWithoutValueAndEmptyPiecesAlone() {
    assertThat(redactListingEveryName("token&&debug&")).isEqualTo("token&&debug&");
  }

  @Test
  void keepsMalformedEscapesWithoutFailing() {
    assertThat(redactListingEveryName("%zz=1&a%=2&%4=3")).isEqualTo("%zz=1&a%=2&%4=3");
  }

  @Test
  void passesNullAndEmptyThrough() {
    assertThat(redactListingEveryName(null)).isNull();
    assertThat(redactListingEveryName("")).isEmpty();
  }

  @Test
  void keepsOnlyTheValuesOfNamesTheRouteLists() {
    assertThat(QueryRedactor.redact("page=2&patient=Jane+Doe&q", Set.of("page"))).isEqualTo("page=2&patient=REDACTED&q");
    assertThat(QueryRedactor.redact("p%61ge=2", Set.of("page"))).isEqualTo("p%61ge=2");
    assertThat(QueryRedactor.redact("token=abc", Set.of("token"))).isEqualTo("token=REDACTED");
  }

  /** The credential rule alone: every name is listed, so only secret-looking values go. */
  private static String redactListingEveryName(String raw) {
    if (raw == null) return QueryRedactor.redact(null, Set.of());
    Set<String> names = new HashSet<>();
    for (String pair : raw.split("&")) {
      String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
      names.add(name);
    }
    return QueryRedactor.redact(raw, names);
  }
}
