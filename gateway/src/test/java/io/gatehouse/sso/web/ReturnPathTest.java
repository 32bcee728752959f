package io.gatehouse.sso.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.core.Exchange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReturnPathTest {
  @Test void aPathOnThisGatewayIsAReturnPath() {
    for (String path : List.of("/", "/workflow/42", "/workflow/42?tab=x&y=%2F%2Fz", "/home/workflows#x")) {
      assertThat(ReturnPath.isSafe(path)).as(path).isTrue();
    }
  }

  @Test void anythingThatABrowserWouldResolveToAnotherOriginIsNot() {
    for (String path : List.of("//evil.example", "//evil.example/x", "/\\evil.example", "\\\\evil.example",
        "https://evil.example", "http:evil.example", "evil.example", "", " /x", "/x\r\nLocation: //evil",
        "/\tevil", "/caf\u00e9", "/x\\y", "/_gatehouse/logout", "/_GATEHOUSE/oidc/callback?code=x")) {
      assertThat(ReturnPath.isSafe(path)).as(path).isFalse();
    }
    assertThat(ReturnPath.isSafe("/" + "a".repeat(3000))).isFalse();
  }

  @Test void theReturnPathOfARequestIsItsNormalizedPathAndQueryOrHome() {
    Exchange exchange = new Exchange("r1", null);
    exchange.path("/workflow/42");
    exchange.query("tab=x");
    assertThat(ReturnPath.of(exchange)).isEqualTo("/workflow/42?tab=x");
    exchange.path("/_gatehouse/whoami");
    assertThat(ReturnPath.of(exchange)).isEqualTo("/");
  }
}
