package io.gatehouse.audit.scrub.field;

import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.detect.Cue;
import java.util.List;
import java.util.Set;

/**
 * The built-in field names for HIPAA Safe Harbor's 18 identifiers (45 CFR 164.514(b)(2)(i)): names; geographic
 * subdivisions below a state (street, city, county, ZIP, coordinates); dates tied to a person (birth, admission,
 * discharge, death, service); phone and fax numbers; e-mail; SSN; medical record, health plan, account,
 * certificate and licence numbers; vehicle and device identifiers; URLs; IP addresses; biometrics; photographs.
 * Also secrets (passwords, tokens, keys, cookies), which are not PHI but must never reach a log either.
 *
 * <p>Short ambiguous stems are matched as whole words ({@code zip} but not {@code gzip}, {@code vin} but not
 * {@code saving}, {@code ip} but not {@code zip}); long unambiguous ones anywhere in the joined name, so
 * {@code patientfirstname} (no separators at all) is a name too. The order matters: {@code emailAddress} is an
 * e-mail and {@code macAddress} a device before either is an address. A field that matches nothing is scanned,
 * with the cues its words give (a {@code createdAt} number is a time, not an NPI).
 */
final class BuiltInFieldNames {
  private record Rule(PhiType type, Set<String> words, List<String> stems) {}

  private static final List<Rule> RULES = List.of(
      // First: a secret is never logged, whatever else its name says (emailPassword, apiKeyId).
      new Rule(PhiType.SECRET, Set.of("password", "passwd", "pwd", "passphrase", "passcode", "secret", "secrets",
          "token", "tokens", "apikey", "otp", "totp", "pin", "cookie", "cookies", "authorization", "credential",
          "credentials", "jwt", "bearer", "sessionid", "privatekey", "salt"),
          List.of("password", "passphrase", "passcode", "secret", "accesstoken", "refreshtoken", "idtoken",
              "authtoken", "sessiontoken", "bearertoken", "apikey", "apitoken", "privatekey", "signingkey",
              "encryptionkey", "sessionid", "sessioncookie", "mfacode", "otpcode", "recoverycode", "authorization")),
      new Rule(PhiType.EMAIL, Set.of("email", "emails", "mail"), List.of("email")),
      new Rule(PhiType.IP, Set.of("ip", "ips", "ipv4", "ipv6", "ipaddr"),
          List.of("ipaddress", "remoteaddr", "clientaddr", "forwardedfor", "realip")),
      new Rule(PhiType.DEVICE, Set.of("imei", "udi", "serial", "serialno", "imsi", "meid", "iccid"),
          List.of("macaddress", "deviceid", "devicenumber", "deviceidentifier", "serialnumber", "deviceserial",
              "hardwareid", "udid")),
      new Rule(PhiType.URL, Set.of("url", "urls", "uri", "website", "homepage", "webpage", "href"),
          List.of("website", "homepage", "profileurl")),
      new Rule(PhiType.FAX, Set.of("fax"), List.of("faxnumber", "faxno")),
      new Rule(PhiType.PHONE, Set.of("phone", "phones", "tel", "telephone", "mobile", "cellphone", "msisdn",
          "whatsapp", "pager", "telecom"), List.of("phone", "telephone", "mobilenumber", "cellnumber", "contactnumber")),
      new Rule(PhiType.SSN, Set.of("ssn", "ssns", "itin", "tin", "sin"), List.of("socialsecurity", "taxpayerid")),
      new Rule(PhiType.MBI, Set.of("mbi", "hicn", "hic"),
          List.of("medicarebeneficiary", "medicareid", "medicarenumber", "medicareno")),
      new Rule(PhiType.NPI, Set.of("npi"), List.of("nationalproviderid")),
      new Rule(PhiType.DEA, Set.of("dea"), List.of("deanumber", "dearegistration")),
      new Rule(PhiType.CARD, Set.of("pan", "cvv", "cvc", "cvv2"),
          List.of("cardnumber", "creditcard", "debitcard", "ccnumber", "paymentcard", "cardno", "cardnum")),
      new Rule(PhiType.MRN, Set.of("mrn", "mrns", "emrid", "ehrid", "identifier", "identifiers"),
          List.of("medicalrecord", "healthrecord", "patientid", "patientnumber", "patientno", "chartnumber",
              "chartid", "chartno", "recordnumber")),
      new Rule(PhiType.HEALTH_PLAN, Set.of("medicaid"),
          List.of("memberid", "membernumber", "memberno", "subscriberid", "subscribernumber", "policynumber",
              "policyid", "policyno", "insuranceid", "insurancenumber", "insuranceno", "healthplan", "beneficiaryid",
              "beneficiarynumber", "insuredid", "medicaidid", "groupnumber", "planmemberid", "medicaidnumber")),
      new Rule(PhiType.ACCOUNT, Set.of("iban", "acct", "acctno", "acctnumber"),
          List.of("accountnumber", "accountno", "accountid", "bankaccount", "routingnumber", "billingaccount",
              "accountnum")),
      new Rule(PhiType.VEHICLE, Set.of("vin", "vins", "plate"),
          List.of("licenseplate", "licenceplate", "numberplate", "vehicleid", "vehicleidentification",
              "vehiclenumber", "vehicleregistration")),
      new Rule(PhiType.LICENSE, Set.of("passport"),
          List.of("license", "licence", "certificate", "passport", "stateid", "nationalid", "idcard",
              "idnumber")),
      new Rule(PhiType.BIOMETRIC, Set.of("iris", "dna", "retina", "biometrics"),
          List.of("biometric", "fingerprint", "voiceprint", "faceprint", "palmprint", "retinal", "facescan",
              "faceid", "genome", "genetic")),
      new Rule(PhiType.PHOTO, Set.of("photo", "photos", "picture", "pictures", "avatar", "headshot", "selfie",
          "portrait", "pic", "image", "images", "photograph"), List.of("photo", "picture", "headshot", "selfie",
          "profileimage", "faceimage", "profilepic")),
      new Rule(PhiType.ADDRESS, Set.of("zip", "zipcode", "zip4", "postal", "postcode", "city", "county", "street",
          "addr", "address", "addresses", "lat", "lng", "lon", "latitude", "longitude", "geo", "geolocation",
          "coordinates", "town", "neighborhood", "neighbourhood", "residence"),
          List.of("address", "street", "zipcode", "postalcode", "postcode", "birthplace", "placeofbirth",
              "latitude", "longitude", "geolocation", "addressline")),
      new Rule(PhiType.DATE, Set.of("dob", "dod", "birth", "birthday", "birthdate", "bday", "admission", "admit",
          "admitted", "discharge", "discharged", "death", "deceased", "died"),
          List.of("birth", "admission", "admitdate", "admitted", "discharge", "death", "deceased", "dateofservice",
              "servicedate", "visitdate", "encounterdate", "appointmentdate", "surgerydate", "proceduredate",
              "collectiondate", "collecteddate", "effectivedatetime", "dateofinjury", "injurydate")));

  /** Names whose last word is "name" and whose other words say it is a person's. */
  private static final Set<String> PERSON_NAME_QUALIFIERS = Set.of(
      "first", "last", "middle", "full", "given", "family", "maiden", "nick", "sur", "fore", "patient", "member",
      "person", "contact", "user", "display", "legal", "preferred", "insured", "subscriber", "guardian", "spouse",
      "parent", "mother", "father", "caregiver", "emergency", "physician", "doctor", "provider", "cardholder",
      "account", "holder", "beneficiary", "employee", "customer", "client", "recipient", "sender", "applicant",
      "borrower", "owner", "billing", "shipping", "birth", "kin", "nurse", "referring", "attending",
      "prescriber", "resident", "student", "child", "dependent", "relative", "witness", "signer", "author");

  private static final Set<String> NAME_JOINED = Set.of(
      "name", "names", "fullname", "firstname", "lastname", "middlename", "surname", "givenname", "familyname",
      "maidenname", "nickname", "preferredname", "legalname", "displayname", "patientname", "username", "fname",
      "lname", "mname", "forename", "forenames", "given", "family", "initials", "nameoncard", "cardholder",
      "signature", "signedby", "nextofkin", "emergencycontact", "guardian", "spouse");

  private static final List<String> NAME_STEMS = List.of(
      "firstname", "lastname", "middlename", "fullname", "surname", "givenname", "familyname", "maidenname",
      "patientname", "membername", "subscribername", "insuredname", "contactname", "legalname", "preferredname");

  /** Words that make a scanned field's value a time, a name, a phone number and so on. */
  private static final Set<String> TIME_WORDS = Set.of(
      "time", "timestamp", "ts", "at", "created", "updated", "modified", "epoch", "date", "started", "finished",
      "stopped", "expires", "exp", "iat", "nbf", "since", "until", "ms", "millis", "seconds", "sec", "when");
  private static final Set<String> NAME_WORDS = Set.of(
      "patient", "member", "contact", "customer", "client", "recipient", "sender", "insured", "subscriber",
      "physician", "doctor", "provider", "person", "owner", "author", "guardian", "caregiver", "nurse");

  private BuiltInFieldNames() {}

  /** The type of a built-in PHI field with this name, or null. */
  static PhiType typeOf(FieldName name) {
    String joined = name.joined();
    if (joined.isEmpty()) return null;
    List<String> words = name.words();
    if (NAME_JOINED.contains(joined) || isPersonName(words)) return PhiType.NAME;
    for (String stem : NAME_STEMS) {
      if (joined.contains(stem)) return PhiType.NAME;
    }
    for (Rule rule : RULES) {
      for (String word : words) {
        if (rule.words.contains(word)) return rule.type;
      }
      for (String stem : rule.stems) {
        if (joined.contains(stem)) return rule.type;
      }
      if (rule.words.contains(joined)) return rule.type;
    }
    return null;
  }

  private static boolean isPersonName(List<String> words) {
    int n = words.size();
    if (n < 2 || !words.get(n - 1).equals("name")) return false;
    for (int i = 0; i < n - 1; i++) {
      if (PERSON_NAME_QUALIFIERS.contains(words.get(i))) return true;
    }
    return false;
  }

  /** The cues a scanned field's name gives its value. */
  static int cuesOf(FieldName name) {
    int bits = 0;
    for (String word : name.words()) {
      if (TIME_WORDS.contains(word)) bits |= Cue.TIME.bit();
      if (NAME_WORDS.contains(word)) bits |= Cue.NAME.bit();
    }
    return bits;
  }
}
