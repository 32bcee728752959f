package io.gatehouse.audit.scrub.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.audit.scrub.PhiType;
import io.gatehouse.audit.scrub.detect.CardDetector;
import io.gatehouse.audit.scrub.detect.DeaDetector;
import io.gatehouse.audit.scrub.detect.EmailDetector;
import io.gatehouse.audit.scrub.detect.Ipv6Detector;
import io.gatehouse.audit.scrub.detect.Luhn;
import io.gatehouse.audit.scrub.detect.MbiDetector;
import io.gatehouse.audit.scrub.detect.NpiDetector;
import io.gatehouse.audit.scrub.detect.PhoneDetector;
import io.gatehouse.audit.scrub.detect.SsnDetector;
import io.gatehouse.audit.scrub.detect.UrlDetector;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.datafaker.Faker;
import net.datafaker.providers.base.Finance.CreditCardType;

/**
 * A seeded generator of labelled n8n-like webhook bodies: claims intake, patient onboarding, lab results, loan
 * checks, FHIR Patient and Observation resources; PHI in its own fields, nested and in arrays, in fields whose
 * names say nothing, and in free text; and hard negatives (execution ids, UUIDs, epoch times, ICD-10 and CPT codes,
 * order and invoice numbers, amounts, ZIP-like product codes, Luhn-valid numbers that are no card). Every value
 * Datafaker makes is checked with our own validators and made again when it fails ({@link #rejected()} counts
 * them: some of its SSN and card patterns give numbers no issuer would).
 */
final class CorpusGenerator {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] DISEASES = {"type 2 diabetes", "hypertension", "asthma", "COPD", "pneumonia"};
  private static final String[] ICD10 = {"E11.9", "I10", "J45.909", "J44.9", "J18.9", "M54.5", "Z00.00"};
  private static final String[] CPT = {"99213", "99214", "80053", "85025", "93000", "71046", "36415"};
  private static final String[] CARD_TYPES = {"VISA", "MASTERCARD", "AMERICAN_EXPRESS", "DISCOVER", "JCB"};

  private final Random random;
  private final Faker faker;
  private int rejected;

  CorpusGenerator(long seed) {
    random = new Random(seed);
    faker = new Faker(Locale.US, new Random(seed + 1));
  }

  int rejected() {
    return rejected;
  }

  List<Sample> samples(int count) {
    List<Sample> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(switch (i % 6) {
        case 0 -> claim();
        case 1 -> onboarding();
        case 2 -> lab();
        case 3 -> loan();
        case 4 -> fhirPatient();
        default -> fhirObservation();
      });
    }
    return out;
  }

  private final class Builder {
    final ObjectNode root = JSON.createObjectNode();
    final List<Planted> phi = new ArrayList<>();
    final List<String> negatives = new ArrayList<>();

    String put(ObjectNode node, String field, String value, PhiType type) {
      node.put(field, value);
      phi.add(new Planted(value, type, false));
      return value;
    }

    void negative(ObjectNode node, String field, String value) {
      node.put(field, value);
      negatives.add(value);
    }

    void negative(ObjectNode node, String field, long value) {
      node.put(field, value);
      negatives.add(Long.toString(value));
    }

    /** Prose of a few sentences, each with PHI or hard negatives; labels every piece. */
    String text() {
      StringBuilder text = new StringBuilder();
      int sentences = 2 + random.nextInt(3);
      for (int i = 0; i < sentences; i++) text.append(sentence()).append(' ');
      return text.toString().trim();
    }

    private String free(String value, PhiType type) {
      phi.add(new Planted(value, type, true));
      return value;
    }

    private String neg(String value) {
      negatives.add(value);
      return value;
    }

    private String sentence() {
      return switch (random.nextInt(14)) {
        case 0 -> "Patient " + free(fullName(), PhiType.NAME) + " (MRN: " + free(mrn(), PhiType.MRN)
            + ") was admitted on " + free(iso(date()), PhiType.DATE) + " with " + pick(DISEASES) + ".";
        case 1 -> "Spoke with " + pick(new String[] {"Mrs.", "Mr.", "Ms.", "Dr."}) + " "
            + free(fullName(), PhiType.NAME) + " at " + free(phone(), PhiType.PHONE) + "; follow-up to "
            + free(email(), PhiType.EMAIL) + ".";
        case 2 -> "SSN on file " + free(ssn(), PhiType.SSN) + ", DOB " + free(us(date()), PhiType.DATE) + ".";
        case 3 -> "Card " + free(card(), PhiType.CARD) + " was declined for invoice " + neg(invoice()) + ".";
        case 4 -> "Prescriber Dr. " + free(fullName(), PhiType.NAME) + ", NPI " + free(npi(), PhiType.NPI)
            + ", DEA " + free(dea(), PhiType.DEA) + ".";
        case 5 -> "Medicare MBI " + free(mbi(), PhiType.MBI) + "; portal login from "
            + free(faker.internet().publicIpV4Address(), PhiType.IP) + " and " + free(ipv6(), PhiType.IP) + ".";
        case 6 -> free(fullName(), PhiType.NAME) + " called about order " + neg(order()) + " for $"
            + neg(amount()) + ".";
        case 7 -> "Hi " + free(faker.name().firstName(), PhiType.NAME) + ", your results are ready at "
            + free(url(), PhiType.URL) + ".";
        case 8 -> free(faker.name().lastName() + ", " + faker.name().firstName(), PhiType.NAME)
            + " was discharged " + free(textual(date()), PhiType.DATE) + ".";
        case 9 -> "Execution " + neg(Integer.toString(10000 + random.nextInt(900000))) + " of workflow "
            + neg(faker.internet().uuid()) + " finished at " + neg(Long.toString(epoch())) + ".";
        case 10 -> "Coded ICD-10 " + neg(pick(ICD10)) + " and CPT " + neg(pick(CPT)) + ", lot " + neg(luhnLot())
            + ".";
        case 11 -> "SKU " + neg(productCode()) + " shipped with tracking " + neg(tracking()) + ", total $"
            + neg(amount()) + ".";
        case 12 -> "Date of birth: " + free(iso(date()), PhiType.DATE) + ", call back on "
            + free(phone(), PhiType.PHONE) + ".";
        default -> "Reached " + free(fullName(), PhiType.NAME) + " via " + free(email(), PhiType.EMAIL)
            + " regarding invoice " + neg(invoice()) + ".";
      };
    }

    /** PHI in a field whose name says nothing, found by its value's format alone. */
    void unexpected(ObjectNode node) {
      switch (random.nextInt(9)) {
        case 0 -> put(node, "ref", ssn(), PhiType.SSN);
        case 1 -> put(node, "extra", card(), PhiType.CARD);
        case 2 -> put(node, "info", email(), PhiType.EMAIL);
        case 3 -> put(node, "callback", phone(), PhiType.PHONE);
        case 4 -> put(node, "code2", npi(), PhiType.NPI);
        case 5 -> put(node, "misc", mbi(), PhiType.MBI);
        case 6 -> put(node, "tag", dea(), PhiType.DEA);
        case 7 -> put(node, "origin", faker.internet().publicIpV4Address(), PhiType.IP);
        default -> put(node, "link", url(), PhiType.URL);
      }
    }

    void hardNegatives(ObjectNode node) {
      negative(node, "executionId", Integer.toString(1000 + random.nextInt(9_000_000)));
      negative(node, "workflowId", faker.internet().uuid());
      negative(node, "timestamp", epoch());
      negative(node, "createdAt", epoch() * 1000 + random.nextInt(1000));
      negative(node, "icd10", pick(ICD10));
      negative(node, "cpt", pick(CPT));
      negative(node, "orderNumber", order());
      negative(node, "invoiceNumber", invoice());
      negative(node, "productCode", productCode());
      negative(node, "trackingNumber", tracking());
      negative(node, "referenceNumber", Integer.toString(100_000_000 + random.nextInt(899_999_999)));
      node.put("amount", Double.parseDouble(amount()));
    }

    Sample build(String kind) {
      return new Sample(kind, root.toString(), phi, negatives);
    }
  }

  private Sample claim() {
    Builder b = new Builder();
    b.root.put("claimId", "CLM-" + (2020 + random.nextInt(6)) + "-" + (10000 + random.nextInt(89999)));
    ObjectNode member = b.root.putObject("member");
    b.put(member, "member_id", "M" + (10_000_000 + random.nextInt(89_999_999)), PhiType.KEY);
    b.put(member, "firstName", faker.name().firstName(), PhiType.NAME);
    b.put(member, "lastName", faker.name().lastName(), PhiType.NAME);
    b.put(member, "dob", iso(date()), PhiType.DATE);
    b.put(member, "ssn", ssn(), PhiType.SSN);
    b.put(member, "phone", phone(), PhiType.PHONE);
    b.put(member, "email", email(), PhiType.EMAIL);
    ObjectNode address = member.putObject("address");
    address.put("street", faker.address().streetAddress());
    address.put("city", faker.address().city());
    address.put("state", faker.address().stateAbbr());
    address.put("zip", faker.address().zipCode());
    b.phi.add(new Planted(address.get("street").asText(), PhiType.ADDRESS, false));
    ObjectNode medicare = b.root.putObject("medicare");
    b.put(medicare, "mbi", mbi(), PhiType.MBI);
    ObjectNode provider = b.root.putObject("provider");
    b.put(provider, "npi", npi(), PhiType.NPI);
    b.put(provider, "deaNumber", dea(), PhiType.DEA);
    ObjectNode claim = b.root.putObject("claim");
    b.put(claim, "reference", "R-" + random.nextInt(1_000_000), PhiType.KEY);
    ArrayNode lines = b.root.putArray("lines");
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      ObjectNode line = lines.addObject();
      b.negative(line, "cpt", pick(CPT));
      b.negative(line, "icd10", pick(ICD10));
      line.put("amount", Double.parseDouble(amount()));
    }
    b.put(b.root.putObject("payment"), "cardNumber", card(), PhiType.CARD);
    b.hardNegatives(b.root.putObject("meta"));
    b.unexpected(b.root.putObject("custom"));
    b.root.put("notes", b.text());
    return b.build("claims intake");
  }

  private Sample onboarding() {
    Builder b = new Builder();
    ObjectNode patient = b.root.putObject("patient");
    ObjectNode name = patient.putObject("name");
    name.put("first", faker.name().firstName());
    name.put("last", faker.name().lastName());
    b.phi.add(new Planted(name.get("last").asText(), PhiType.NAME, false));
    b.put(patient, "birthDate", us(date()), PhiType.DATE);
    ObjectNode contact = patient.putObject("contact");
    b.put(contact, "mobile", phone(), PhiType.PHONE);
    b.put(contact, "fax", phone(), PhiType.FAX);
    b.put(contact, "emailAddress", email(), PhiType.EMAIL);
    b.put(patient, "mrn", mrn(), PhiType.MRN);
    b.put(patient.putObject("insurance"), "policyNumber", "PL" + (100_000 + random.nextInt(899_999)),
        PhiType.HEALTH_PLAN);
    b.put(patient, "driversLicense", faker.drivingLicense().drivingLicense("CA"), PhiType.LICENSE);
    b.put(patient, "photo", "https://cdn.example.com/p/" + random.nextInt(1_000_000) + ".jpg", PhiType.PHOTO);
    b.put(b.root, "clientIp", ipv6(), PhiType.IP);
    b.root.put("consent", true);
    b.hardNegatives(b.root);
    ArrayNode contacts = b.root.putArray("emergencyContacts");
    for (int i = 0; i < 1 + random.nextInt(2); i++) b.unexpected(contacts.addObject());
    b.root.put("intakeNote", b.text());
    return b.build("patient onboarding");
  }

  private Sample lab() {
    Builder b = new Builder();
    b.negative(b.root, "orderId", order());
    b.put(b.root, "patientId", mrn(), PhiType.MRN);
    ArrayNode results = b.root.putArray("results");
    for (int i = 0; i < 2 + random.nextInt(3); i++) {
      ObjectNode r = results.addObject();
      r.put("loinc", (1000 + random.nextInt(8999)) + "-" + random.nextInt(10));
      r.put("value", Math.round(random.nextDouble() * 1000) / 10.0);
      r.put("unit", "mmol/L");
      b.put(r, "collectedDate", iso(date()), PhiType.DATE);
    }
    b.hardNegatives(b.root.putObject("execution"));
    b.unexpected(b.root);
    b.root.put("comment", b.text());
    return b.build("lab results");
  }

  private Sample loan() {
    Builder b = new Builder();
    ObjectNode applicant = b.root.putObject("applicant");
    b.put(applicant, "fullName", fullName(), PhiType.NAME);
    b.put(applicant, "ssn", ssn(), PhiType.SSN);
    b.put(applicant, "accountNumber", Long.toString(1_000_000_000L + (long) (random.nextDouble() * 8e9)),
        PhiType.ACCOUNT);
    b.put(applicant, "employerPhone", phone(), PhiType.PHONE);
    b.root.put("loanAmount", 5000 + random.nextInt(50000));
    b.put(b.root.putObject("vehicle"), "vin", faker.vehicle().vin(), PhiType.VEHICLE);
    b.put(b.root.putObject("device"), "serialNumber", "SN" + (100_000 + random.nextInt(899_999)),
        PhiType.DEVICE);
    b.hardNegatives(b.root);
    b.unexpected(b.root.putObject("webhook"));
    b.root.put("memo", b.text());
    return b.build("loan check");
  }

  private Sample fhirPatient() {
    Builder b = new Builder();
    b.root.put("resourceType", "Patient");
    b.negative(b.root, "id", faker.internet().uuid());
    ArrayNode identifier = b.root.putArray("identifier");
    ObjectNode id = identifier.addObject();
    id.put("system", "http://hospital.example.org/mrn");
    id.put("value", mrn());
    b.phi.add(new Planted(id.get("value").asText(), PhiType.MRN, false));
    ArrayNode names = b.root.putArray("name");
    ObjectNode n = names.addObject();
    n.put("family", faker.name().lastName());
    n.putArray("given").add(faker.name().firstName());
    b.phi.add(new Planted(n.get("family").asText(), PhiType.NAME, false));
    ArrayNode telecom = b.root.putArray("telecom");
    ObjectNode t = telecom.addObject();
    t.put("system", "phone");
    t.put("value", phone());
    b.phi.add(new Planted(t.get("value").asText(), PhiType.PHONE, false));
    b.root.put("gender", random.nextBoolean() ? "female" : "male");
    b.put(b.root, "birthDate", iso(date()), PhiType.DATE);
    ArrayNode address = b.root.putArray("address");
    ObjectNode a = address.addObject();
    a.putArray("line").add(faker.address().streetAddress());
    a.put("city", faker.address().city());
    a.put("postalCode", faker.address().zipCode());
    b.phi.add(new Planted(a.get("line").get(0).asText(), PhiType.ADDRESS, false));
    ObjectNode text = b.root.putObject("text");
    text.put("status", "generated");
    text.put("div", "<div>" + b.text() + "</div>");
    return b.build("FHIR Patient");
  }

  private Sample fhirObservation() {
    Builder b = new Builder();
    b.root.put("resourceType", "Observation");
    b.negative(b.root, "id", faker.internet().uuid());
    b.root.put("status", "final");
    ObjectNode coding = b.root.putObject("code").putArray("coding").addObject();
    coding.put("system", "http://loinc.org");
    coding.put("code", "2345-7");
    coding.put("display", "Glucose [Mass/volume] in Serum or Plasma");
    ObjectNode subject = b.root.putObject("subject");
    subject.put("reference", "Patient/" + random.nextInt(100000));
    subject.put("display", fullName());
    b.phi.add(new Planted(subject.get("display").asText(), PhiType.NAME, true));
    b.put(b.root, "effectiveDateTime", iso(date()) + "T08:30:00Z", PhiType.DATE);
    ObjectNode quantity = b.root.putObject("valueQuantity");
    quantity.put("value", 80 + random.nextInt(100));
    quantity.put("unit", "mg/dL");
    quantity.put("system", "http://unitsofmeasure.org");
    b.root.putArray("note").addObject().put("text", b.text());
    b.hardNegatives(b.root.putObject("meta"));
    return b.build("FHIR Observation");
  }

  // Values, each checked with our validator and made again when it fails.

  private String checked(Supplier<String> make, Predicate<String> valid) {
    for (int i = 0; i < 100; i++) {
      String value = make.get();
      if (valid.test(value)) return value;
      rejected++;
    }
    throw new AssertionError("no valid value in 100 tries");
  }

  private String fullName() {
    return faker.name().firstName() + " " + faker.name().lastName();
  }

  private String ssn() {
    return checked(() -> faker.idNumber().ssnValid(), SsnDetector::isValid);
  }

  private String phone() {
    return checked(() -> pick(new String[] {
        faker.phoneNumber().phoneNumber(), faker.phoneNumber().cellPhone(),
        faker.phoneNumber().phoneNumberInternational()}), PhoneDetector::isValid);
  }

  private String email() {
    return checked(() -> faker.internet().emailAddress(), EmailDetector::isValid);
  }

  private String card() {
    return checked(() -> faker.finance().creditCard(CreditCardType.valueOf(pick(CARD_TYPES))), CardDetector::isValid);
  }

  private String ipv6() {
    return checked(() -> faker.internet().ipV6Address(), Ipv6Detector::isValid);
  }

  private String url() {
    return checked(() -> faker.internet().url(), UrlDetector::isValid);
  }

  private String npi() {
    return checked(() -> {
      String nine = (1 + random.nextInt(2)) + digits(8);
      return nine + NpiDetector.checkDigit(nine);
    }, NpiDetector::isValid);
  }

  private String dea() {
    return checked(() -> {
      String letters = "" + "ABFGMP".charAt(random.nextInt(6)) + (char) ('A' + random.nextInt(26));
      int[] d = new int[6];
      for (int i = 0; i < 6; i++) d[i] = random.nextInt(10);
      int check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
      StringBuilder s = new StringBuilder(letters);
      for (int x : d) s.append(x);
      return s.append(check).toString();
    }, DeaDetector::isValid);
  }

  private String mbi() {
    String letters = "ACDEFGHJKMNPQRTUVWXY";
    return checked(() -> {
      StringBuilder s = new StringBuilder();
      for (char kind : "DLEDLEDLLDD".toCharArray()) {
        boolean digit = kind == 'D' || kind == 'E' && random.nextBoolean();
        s.append(digit ? (char) ('0' + random.nextInt(10)) : letters.charAt(random.nextInt(letters.length())));
      }
      if (s.charAt(0) == '0') s.setCharAt(0, '1');
      String plain = s.toString();
      return random.nextBoolean() ? plain : plain.substring(0, 4) + "-" + plain.substring(4, 7) + "-"
          + plain.substring(7);
    }, MbiDetector::isValid);
  }

  private String mrn() {
    return random.nextBoolean() ? digits(8) : "MR" + digits(7);
  }

  private LocalDate date() {
    return LocalDate.of(1930 + random.nextInt(90), 1 + random.nextInt(12), 1 + random.nextInt(28));
  }

  private static String iso(LocalDate d) {
    return d.toString();
  }

  private static String us(LocalDate d) {
    return d.format(DateTimeFormatter.ofPattern("MM/dd/yyyy"));
  }

  private static String textual(LocalDate d) {
    return d.format(DateTimeFormatter.ofPattern("MMMM d, yyyy", Locale.US));
  }

  private long epoch() {
    return 1_500_000_000L + random.nextInt(300_000_000);
  }

  private String order() {
    return "ORD-" + (100000 + random.nextInt(900000));
  }

  private String invoice() {
    return "INV-" + (2020 + random.nextInt(6)) + "-" + String.format("%05d", random.nextInt(100000));
  }

  private String amount() {
    return String.format(Locale.ROOT, "%d.%02d", 1 + random.nextInt(5000), random.nextInt(100));
  }

  /** Five digits like a ZIP code, with a letter suffix or prefix as product codes have. */
  private String productCode() {
    return random.nextBoolean() ? digits(5) + "-" + (char) ('A' + random.nextInt(26)) : "PRD-" + digits(5);
  }

  /** A Luhn-valid number no card issuer uses: tracking numbers and lots often carry a Luhn digit too. */
  private String tracking() {
    return luhnNumber("9" + digits(14));
  }

  private String luhnLot() {
    return luhnNumber("1" + digits(10));
  }

  private static String luhnNumber(String body) {
    int[] d = new int[body.length()];
    for (int i = 0; i < d.length; i++) d[i] = body.charAt(i) - '0';
    return body + Luhn.checkDigit(d, d.length);
  }

  private String digits(int n) {
    StringBuilder s = new StringBuilder(n);
    for (int i = 0; i < n; i++) s.append((char) ('0' + random.nextInt(10)));
    return s.toString();
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
