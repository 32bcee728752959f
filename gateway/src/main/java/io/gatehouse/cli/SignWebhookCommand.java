package io.gatehouse.cli;

import io.gatehouse.config.Interpolator;
import io.gatehouse.config.Secret;
import io.gatehouse.config.WebhookConfig.GenericHmac;
import io.gatehouse.config.WebhookConfig.GenericHmac.Encoding;
import io.gatehouse.config.WebhookConfig.GenericHmac.Signed;
import io.gatehouse.guard.signature.GenericHmacSignatureScheme;
import io.gatehouse.guard.signature.SignatureScheme;
import io.gatehouse.guard.signature.SignatureSchemes;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sign-webhook --scheme S --secret SECRET [--file BODY] [--id ID] [--timestamp T]}: prints the headers a
 * sender of scheme S would add to BODY, one {@code Name: value} per line, so a route can be tried with curl. It
 * signs with the same code the gateway verifies with.
 */
@Command(name = "sign-webhook", mixinStandardHelpOptions = true,
    description = {
        "Prints the headers a sender of the scheme would add to the body (from --file, else stdin), one",
        "'Name: value' per line. To test a webhook route, pass each line to curl as -H and send the same bytes",
        "with curl --data-binary @BODY.",
        "Scheme hmac-sha256 takes the same settings as its webhooks[] entry: --header (required), --encoding,",
        "--prefix, --signed, --timestamp-header, --id-header."})
public final class SignWebhookCommand implements Callable<Integer> {
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** What the verifying side accepts as a delivery id: visible ASCII, bounded. */
  private static final Pattern ID = Pattern.compile("[!-~]{1,256}");
  private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");

  private final InputStream stdin;
  private final Clock clock;

  @Spec
  private CommandSpec spec;

  @Option(names = "--scheme", required = true, paramLabel = "S",
      description = "github | stripe | slack | shopify | standard | hmac-sha256")
  private String scheme;

  @Option(names = "--secret", required = true, paramLabel = "SECRET",
      description = "the webhook secret, as configured in webhooks[].secrets (whsec_… for standard); "
          + "${file:PATH} or ${env:NAME} reads it from there and keeps it out of the process list")
  private String secret;

  @Option(names = "--file", paramLabel = "BODY", description = "the body to sign, byte for byte; stdin when absent")
  private Path file;

  @Option(names = "--id", paramLabel = "ID", description = "delivery id, for schemes that send one; default random")
  private String id;

  @Option(names = "--timestamp", paramLabel = "T",
      description = "Unix time in seconds, for schemes that sign one; default now")
  private String timestamp;

  @Option(names = "--header", paramLabel = "NAME", description = "hmac-sha256: the signature header")
  private String header;

  @Option(names = "--encoding", paramLabel = "hex|base64", description = "hmac-sha256: digest encoding (hex)")
  private String encoding;

  @Option(names = "--prefix", paramLabel = "TEXT", description = "hmac-sha256: text before the digest (none)")
  private String prefix;

  @Option(names = "--signed", paramLabel = "body|timestamp.body", description = "hmac-sha256: what is signed (body)")
  private String signed;

  @Option(names = "--timestamp-header", paramLabel = "NAME",
      description = "hmac-sha256: the timestamp header, with --signed timestamp.body")
  private String timestampHeader;

  @Option(names = "--id-header", paramLabel = "NAME", description = "hmac-sha256: the delivery id header (none)")
  private String idHeader;

  public SignWebhookCommand() {
    this(System.in, Clock.systemUTC());
  }

  /** For tests: the body comes from {@code stdin} when no file is given, and "now" from {@code clock}. */
  SignWebhookCommand(InputStream stdin, Clock clock) {
    this.stdin = stdin;
    this.clock = clock;
  }

  @Override public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      SignatureScheme signer = scheme();
      String deliveryId = id == null ? UUID.randomUUID().toString() : id;
      if (!ID.matcher(deliveryId).matches() || scheme.equals("standard") && deliveryId.contains(".")) {
        throw new IllegalArgumentException("--id must be 1 to 256 visible ASCII characters (no '.' for standard)");
      }
      Instant at = timestamp == null ? clock.instant() : unixSeconds(timestamp);
      byte[] body = file == null ? stdin.readAllBytes() : Files.readAllBytes(file);
      Secret key = new Secret(Interpolator.resolveCommandLineValue(secret, System::getenv), false);
      for (Map.Entry<String, String> h : signer.sign(body, key, deliveryId, at).entrySet()) {
        out.println(h.getKey() + ": " + h.getValue());
      }
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("sign-webhook: " + e.getMessage());
      err.flush();
      return 2;
    } catch (IOException e) {
      err.println("sign-webhook: cannot read the body: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private SignatureScheme scheme() {
    if (!scheme.equals("hmac-sha256")) {
      if (header != null || encoding != null || prefix != null || signed != null || timestampHeader != null
          || idHeader != null) {
        throw new IllegalArgumentException("--header, --encoding, --prefix, --signed, --timestamp-header and"
            + " --id-header apply only to --scheme hmac-sha256");
      }
      return SignatureSchemes.forName(scheme);
    }
    if (header == null) throw new IllegalArgumentException("--scheme hmac-sha256 needs --header");
    Signed what = switch (signed == null ? "body" : signed) {
      case "body" -> Signed.BODY;
      case "timestamp.body" -> Signed.TIMESTAMP_BODY;
      default -> throw new IllegalArgumentException("--signed must be body or timestamp.body");
    };
    if ((what == Signed.TIMESTAMP_BODY) != (timestampHeader != null)) {
      throw new IllegalArgumentException("--timestamp-header is required with, and only with, --signed timestamp.body");
    }
    Encoding how = switch (encoding == null ? "hex" : encoding) {
      case "hex" -> Encoding.HEX;
      case "base64" -> Encoding.BASE64;
      default -> throw new IllegalArgumentException("--encoding must be hex or base64");
    };
    return new GenericHmacSignatureScheme(new GenericHmac(headerName(header, "--header"), how,
        prefix == null ? "" : prefix, what, Optional.ofNullable(timestampHeader).map(h -> headerName(h,
        "--timestamp-header")), Optional.ofNullable(idHeader).map(h -> headerName(h, "--id-header"))));
  }

  private static String headerName(String name, String option) {
    if (!HEADER_NAME.matcher(name).matches()) throw new IllegalArgumentException(option + " is not a header name");
    return name;
  }

  private static Instant unixSeconds(String text) {
    if (!UNIX_SECONDS.matcher(text).matches()) {
      throw new IllegalArgumentException("--timestamp must be Unix time in seconds, e.g. 1760000000");
    }
    return Instant.ofEpochSecond(Long.parseLong(text));
  }
}
