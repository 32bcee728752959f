package io.gatehouse.guard.signature;

import static io.gatehouse.guard.signature.SchemeCase.BODY;
import static io.gatehouse.guard.signature.SchemeCase.NOW;

import io.gatehouse.core.Reason;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and broken headers: each is a refusal with {@code signature_invalid} at {@code begin}, never an exception
 * and never a verification that merely fails later. Every case starts from a correctly signed delivery and breaks
 * one thing.
 */
class MalformedHeadersTest {
  private static final String HEX = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  private static final String B64 = "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  private static final String TS = Long.toString(NOW.getEpochSecond());

  static Stream<Arguments> malformed() {
    List<Arguments> cases = new ArrayList<>();
    SchemeCase github = byName("github");
    add(cases, github, "non-hex digest", set("X-Hub-Signature-256", "sha256=" + "z".repeat(64)));
    add(cases, github, "digest one digit short", set("X-Hub-Signature-256", "sha256=" + HEX.substring(1)));
    add(cases, github, "digest one byte long", set("X-Hub-Signature-256", "sha256=" + HEX + "ab"));
    add(cases, github, "fullwidth digits", set("X-Hub-Signature-256", "sha256=" + "\uff11".repeat(64)));
    add(cases, github, "legacy sha1 only", set("X-Hub-Signature-256", "sha1=" + HEX.substring(0, 40)));
    add(cases, github, "prefix in capitals", set("X-Hub-Signature-256", "SHA256=" + HEX));
    add(cases, github, "no prefix", set("X-Hub-Signature-256", HEX));
    add(cases, github, "two signatures folded into one", set("X-Hub-Signature-256", "sha256=" + HEX + ", sha256=" + HEX));
    add(cases, github, "empty delivery id", set("X-GitHub-Delivery", ""));
    add(cases, github, "delivery id with a space", set("X-GitHub-Delivery", "a b"));
    add(cases, github, "delivery id with a control character", set("X-GitHub-Delivery", "a\u0001b"));
    add(cases, github, "delivery id over 256 characters", set("X-GitHub-Delivery", "d".repeat(257)));

    SchemeCase stripe = byName("stripe");
    for (String header : new String[] {
        "t=abc,v1=" + HEX, "t=-5,v1=" + HEX, "t=+1760000000,v1=" + HEX, "t=1.76e9,v1=" + HEX,
        "t=99999999999999999999,v1=" + HEX, "t=,v1=" + HEX, "t=1760000000", "v1=" + HEX,
        "t=1760000000,t=1760000000,v1=" + HEX, "t=1760000000,v1=zz", "t=1760000000,v1=",
        "t=1760000000,v0=" + HEX, "garbage", ",,", "t", "t=1760000000,v1=" + HEX + ",", "=x,t=1760000000,v1=" + HEX,
        "t=1760000000" + ",v1=".repeat(17).replace(",v1=", ",v1=" + HEX)}) {
      add(cases, stripe, header.length() > 60 ? header.substring(0, 60) + "…" : header, set("Stripe-Signature", header));
    }

    SchemeCase slack = byName("slack");
    add(cases, slack, "v1 instead of v0", set("X-Slack-Signature", "v1=" + HEX));
    add(cases, slack, "colon instead of equals", set("X-Slack-Signature", "v0:" + HEX));
    add(cases, slack, "non-hex digest", set("X-Slack-Signature", "v0=" + "g".repeat(64)));
    add(cases, slack, "timestamp not a number", set("X-Slack-Request-Timestamp", "yesterday"));
    add(cases, slack, "timestamp with a fraction", set("X-Slack-Request-Timestamp", TS + ".5"));
    add(cases, slack, "timestamp negative", set("X-Slack-Request-Timestamp", "-" + TS));
    add(cases, slack, "timestamp huge", set("X-Slack-Request-Timestamp", "9".repeat(40)));
    add(cases, slack, "timestamp in Arabic-Indic digits", set("X-Slack-Request-Timestamp", "\u0661\u0662\u0663"));

    SchemeCase shopify = byName("shopify");
    add(cases, shopify, "not base64", set("X-Shopify-Hmac-Sha256", "!!!not-base64!!!"));
    add(cases, shopify, "base64 of 31 bytes", set("X-Shopify-Hmac-Sha256", base64(31)));
    add(cases, shopify, "hex where base64 belongs", set("X-Shopify-Hmac-Sha256", HEX));
    add(cases, shopify, "url-safe base64 alphabet", set("X-Shopify-Hmac-Sha256", B64.replace('+', '-').replace('/', '_')));

    SchemeCase standard = byName("standard");
    add(cases, standard, "entry without a comma", set("webhook-signature", "v1"));
    add(cases, standard, "entry without a version", set("webhook-signature", "," + B64));
    add(cases, standard, "entry not base64", set("webhook-signature", "v1,@@@@"));
    add(cases, standard, "entry of 16 bytes", set("webhook-signature", "v1," + base64(16)));
    add(cases, standard, "only asymmetric v1a entries", set("webhook-signature", "v1a," + base64(64)));
    add(cases, standard, "only a future version", set("webhook-signature", "v2," + B64));
    add(cases, standard, "seventeen v1 entries", set("webhook-signature", ("v1," + B64 + " ").repeat(17)));
    add(cases, standard, "id with a full stop", set("webhook-id", "msg_1.1760000000"));
    add(cases, standard, "timestamp not a number", set("webhook-timestamp", "now"));
    add(cases, standard, "timestamp in milliseconds", set("webhook-timestamp", TS + "000000"));

    SchemeCase genericHex = byName("hmac-sha256 body hex");
    add(cases, genericHex, "wrong prefix", set("X-Signature", "sha1=" + HEX));
    add(cases, genericHex, "missing prefix", set("X-Signature", HEX));
    add(cases, genericHex, "non-hex digest", set("X-Signature", "sha256=" + "x".repeat(64)));
    add(cases, genericHex, "id header empty", set("X-Delivery-Id", " "));
    SchemeCase genericTs = byName("hmac-sha256 timestamp.body base64");
    add(cases, genericTs, "not base64", set("X-Forms-Signature", "%%%%"));
    add(cases, genericTs, "timestamp ISO 8601", set("X-Forms-Timestamp", "2025-10-09T08:53:20Z"));
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("malformed")
  void refusesMalformedHeaderAsSignatureInvalid(SchemeCase c, String what, Consumer<MultiMap> breakIt) {
    MultiMap headers = c.signed(BODY, c.current(), NOW);
    breakIt.accept(headers);

    c.refused(headers, Reason.SIGNATURE_INVALID);
  }

  private static void add(List<Arguments> cases, SchemeCase c, String what, Consumer<MultiMap> breakIt) {
    cases.add(Arguments.of(c, what, breakIt));
  }

  private static Consumer<MultiMap> set(String name, String value) {
    return headers -> headers.set(name, value);
  }

  private static String base64(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  private static SchemeCase byName(String name) {
    return SchemeCase.all().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

}
