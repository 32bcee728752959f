package io.gatehouse.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value syntaxes of the config file, also used by command-line options that take the same kinds of values
 * ({@code verify-log --max-staleness 10m}). Every method throws {@link IllegalArgumentException} with a message
 * that quotes the input and says what was expected, fit to show to the user as is.
 */
public final class ValueParser {
  private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("([0-9]+)(B|KiB|MiB|GiB|KB|MB|GB)?");
  private static final Pattern RATE = Pattern.compile("([0-9]+)/(s|m|h)");
  private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private ValueParser() {}

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 12h}, {@code 2d}: a positive whole number and a unit. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    String expected = "\"" + text + "\" is not a duration (expected e.g. 500ms, 30s, 5m, 12h)";
    if (!m.matches()) throw new IllegalArgumentException(expected);
    long n = parseCount(m.group(1), text);
    if (n == 0) throw new IllegalArgumentException("\"" + text + "\" is zero (expected a positive duration such as 30s)");
    try {
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
    }
  }

  /**
   * Bytes: {@code 512} (plain bytes), {@code 512B}, {@code 64KiB}, {@code 16MiB}, {@code 1GiB} (1024-based) or
   * {@code 64KB}, {@code 16MB}, {@code 1GB} (1000-based, as the SI units mean).
   */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a size (expected e.g. 512, 64KiB, 16MiB, 1GiB)");
    }
    long n = parseCount(m.group(1), text);
    long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
      case "KiB" -> 1L << 10;
      case "MiB" -> 1L << 20;
      case "GiB" -> 1L << 30;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(n, unit);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too large a size");
    }
  }

  /** {@code 20/s}, {@code 600/m}, {@code 1000/h}: a positive whole number of permits per second, minute or hour. */
  public static Rate parseRate(String text) {
    Matcher m = RATE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a rate (expected e.g. 20/s, 600/m, 1000/h)");
    }
    long n = parseCount(m.group(1), text);
    if (n == 0) throw new IllegalArgumentException("\"" + text + "\" is zero (expected a positive rate such as 20/s)");
    Duration per = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(1);
      case "m" -> Duration.ofMinutes(1);
      default -> Duration.ofHours(1);
    };
    return new Rate(n, per);
  }

  /**
   * A listen address: {@code host:port}, {@code 0.0.0.0:8443} or {@code [::1]:8443}. The port may be 0 (the OS
   * picks one). The host is a name or a numeric address; an IPv6 address needs brackets so its colons are not
   * taken for the port separator.
   */
  public static HostPort parseHostPort(String text) {
    String expected = "\"" + text + "\" is not host:port (expected e.g. 0.0.0.0:8443 or [::1]:8443)";
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) throw new IllegalArgumentException(expected);
    String host = text.substring(0, colon);
    String portText = text.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      if (!host.contains(":") || host.contains("/") || !isNumericAddress(host)) throw new IllegalArgumentException(expected);
    } else if (host.contains(":") || host.contains("[") || !HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException(expected);
    }
    if (!portText.chars().allMatch(c -> c >= '0' && c <= '9') || portText.length() > 5) {
      throw new IllegalArgumentException(expected);
    }
    int port = Integer.parseInt(portText);
    if (port > 65535) {
      throw new IllegalArgumentException("\"" + text + "\" has port " + port + " (expected 0-65535)");
    }
    return new HostPort(host, port);
  }

  /**
   * An absolute {@code http://} or {@code https://} URL with a host. When {@code originOnly}, it may have no path
   * other than {@code /}, no query and no fragment (upstream targets: the gateway forwards the request path as is).
   * Credentials in the URL are refused: they would end up in logs and metrics labels.
   */
  public static URI parseHttpUrl(String text, boolean originOnly) {
    String example = originOnly ? "http://127.0.0.1:5678" : "https://n8n.example.com";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not a URL (expected e.g. " + example + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an absolute http:// or https:// URL (expected e.g. " + example + ")");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("\"" + text + "\" has credentials in it; URLs here must not carry any");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("\"" + text + "\" has no valid host (expected e.g. " + example + ")");
    }
    if (originOnly) {
      String path = uri.getRawPath();
      if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
          || uri.getRawFragment() != null) {
        throw new IllegalArgumentException("\"" + text + "\" has a path, query or fragment"
            + " (expected scheme://host:port only, e.g. " + example + ")");
      }
    }
    return uri;
  }

  /** True for an IPv4 or IPv6 literal; never resolves a name. */
  static boolean isNumericAddress(String host) {
    try {
      Cidr.parse(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long parseCount(String digits, String text) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too large a number");
    }
  }
}
