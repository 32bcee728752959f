package io.gatehouse.audit.scrub.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.detect.Cue;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldNameMatcherTest {
  private final FieldNameMatcher matcher =
      new FieldNameMatcher(List.of("member_id", "claim.reference"), List.of("claim_status", "ZIP_REGION"));

  private PhiType type(String name) {
    FieldVerdict verdict = matcher.classify(name);
    return verdict.redacts() ? verdict.type() : null;
  }

  @Test
  void matchesAcrossCaseSeparatorsAndStyles() {
    for (String name : List.of("dateOfBirth", "date_of_birth", "DATE-OF-BIRTH", "DOB", "patient.dob", "birthDate",
        "Date of birth", "patient[dob]", "PatientDOB")) {
      assertThat(type(name)).as(name).isEqualTo(PhiType.DATE);
    }
  }

  @Test
  void secretsAreNeverLoggedEither() {
    // n8n's login, user and credential calls: /rest/login, /rest/credentials (data.password, data.apiKey, ...).
    for (String name : List.of("password", "emailPassword", "currentPassword", "apiKey", "X-N8N-API-KEY",
        "access_token", "refreshToken", "id_token", "clientSecret", "client_secret", "privateKey", "sessionId",
        "cookie", "Authorization", "mfaCode", "mfaRecoveryCode", "secret", "token", "otp")) {
      assertThat(type(name)).as(name).isEqualTo(PhiType.SECRET);
    }
    for (String name : List.of("emailOrLdapLoginId", "claim_status", "tokenizer", "passage")) {
      assertThat(type(name)).as(name).isNotEqualTo(PhiType.SECRET);
    }
  }

  @Test
  void coversTheSafeHarborIdentifiers() {
    String[][] cases = {
        {"firstName", "NAME"}, {"patient_last_name", "NAME"}, {"name", "NAME"}, {"given", "NAME"},
        {"streetAddress", "ADDRESS"}, {"city", "ADDRESS"}, {"zip", "ADDRESS"}, {"postalCode", "ADDRESS"},
        {"admissionDate", "DATE"}, {"discharge_date", "DATE"}, {"deceasedDateTime", "DATE"},
        {"homePhone", "PHONE"}, {"fax_number", "FAX"}, {"emailAddress", "EMAIL"}, {"ssn", "SSN"},
        {"socialSecurityNumber", "SSN"}, {"mrn", "MRN"}, {"medicalRecordNumber", "MRN"}, {"patientId", "MRN"},
        {"insuranceMemberId", "HEALTH_PLAN"}, {"policy_number", "HEALTH_PLAN"}, {"accountNumber", "ACCOUNT"},
        {"driversLicenseNumber", "LICENSE"}, {"certificateNo", "LICENSE"}, {"vin", "VEHICLE"},
        {"licensePlate", "VEHICLE"}, {"deviceSerialNumber", "DEVICE"}, {"macAddress", "DEVICE"},
        {"website", "URL"}, {"profile_url", "URL"}, {"clientIp", "IP"}, {"ip_address", "IP"},
        {"fingerprintTemplate", "BIOMETRIC"}, {"photo", "PHOTO"}, {"npi", "NPI"}, {"deaNumber", "DEA"},
        {"mbi", "MBI"}, {"cardNumber", "CARD"}};
    for (String[] c : cases) {
      assertThat(type(c[0])).as(c[0]).isEqualTo(PhiType.valueOf(c[1]));
    }
  }

  @Test
  void leavesOrdinaryFieldsToBeScanned() {
    for (String name : List.of("executionId", "workflowName", "fileName", "template", "gzip", "saving", "status",
        "amount", "icd10", "cptCode", "orderNumber", "country", "state", "cellValue", "createdAt")) {
      assertThat(matcher.classify(name).action()).as(name).isEqualTo(FieldVerdict.Action.SCAN);
    }
  }

  @Test
  void givesTimeAndNameCuesToScannedFields() {
    assertThat(matcher.classify("createdAt").cueBits() & Cue.TIME.bit()).isNotZero();
    assertThat(matcher.classify("patient").cueBits() & Cue.NAME.bit()).isNotZero();
  }

  @Test
  void redactsOperatorKeysAndKeepsAllowKeysInAnySpelling() {
    assertThat(type("memberId")).isEqualTo(PhiType.KEY);
    assertThat(type("MEMBER-ID")).isEqualTo(PhiType.KEY);
    assertThat(matcher.classify("claimStatus")).isEqualTo(FieldVerdict.ALLOW);
    assertThat(matcher.classify("zip_region")).isEqualTo(FieldVerdict.ALLOW);
  }

  @Test
  void matchesADottedKeyOnlyUnderItsParents() {
    assertThat(matcher.classify("reference", List.of("claim")).type()).isEqualTo(PhiType.KEY);
    assertThat(matcher.classify("reference", List.of("order")).redacts()).isFalse();
    assertThat(matcher.classify("claim.reference").type()).isEqualTo(PhiType.KEY);
    assertThat(matcher.isKey("reference", List.of("root", "claim"))).isTrue();
  }
}
