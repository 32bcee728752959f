package io.gatehouse.idp;

import java.util.List;
import java.util.Optional;

/**
 * A person in the test realm, as {@code keycloak/gatehouse-test-realm.json} defines them: the password is known to
 * the tests (it is a test fixture, never a real secret), and a user with an OTP credential carries its TOTP secret.
 */
public record DemoUser(String username, String password, String email, String firstName, String lastName,
    List<String> groups, Optional<String> totpSecret) {
  public DemoUser {
    groups = List.copyOf(groups);
  }

  /** TOTP codes for this user's preloaded OTP credential. */
  public TotpCodes totp() {
    return new TotpCodes(totpSecret.orElseThrow(() -> new IllegalStateException(username + " has no OTP credential")));
  }

  public String fullName() {
    return firstName + " " + lastName;
  }

  /** Never the password: a user may end up in an assertion message. */
  @Override
  public String toString() {
    return "DemoUser[" + username + "]";
  }
}
