package io.crmhistory.command.customer;

import io.crmhistory.api.customer.ContactChannel;
import io.crmhistory.api.customer.ContactDirection;
import io.crmhistory.api.customer.CustomerStatus;
import io.crmhistory.api.customer.PurchaseLine;
import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.CommandResult;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.api.customer.event.ContactRecorded;
import io.crmhistory.api.customer.event.CustomerProfileUpdated;
import io.crmhistory.api.customer.event.CustomerRegistered;
import io.crmhistory.api.customer.event.CustomerStatusChanged;
import io.crmhistory.api.customer.event.PurchaseRecorded;
import io.crmhistory.api.customer.event.RefundRecorded;
import io.crmhistory.api.messaging.MetadataKeys;
import io.crmhistory.api.money.Money;
import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.platform.web.ClientInputException;
import io.crmhistory.platform.web.FieldProblem;
import io.crmhistory.platform.privacy.PersonalDataProtector;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.hamcrest.CustomMatcher;
import org.hamcrest.Matcher;

import java.time.Clock;
import java.util.function.Consumer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.crmhistory.command.customer.DeterministicProtection.sealed;
import static io.crmhistory.platform.privacy.PersonalFields.EMAIL;
import static io.crmhistory.platform.privacy.PersonalFields.NAME;
import static io.crmhistory.platform.privacy.PersonalFields.NOTES;
import static io.crmhistory.platform.privacy.PersonalFields.OUTCOME;
import static io.crmhistory.platform.privacy.PersonalFields.PHONE;
import static io.crmhistory.platform.privacy.PersonalFields.SUBJECT;
import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of SPEC section 4 the customer aggregate decides, as given / when / then. */
class CustomerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    static final OffsetDateTime NOW = OffsetDateTime.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    static final OffsetDateTime MONDAY = OffsetDateTime.parse("2025-06-02T09:30:00+02:00");
    static final String ID = "c-1";

    private FixtureConfiguration<Customer> fixture;
    private InMemoryEmailClaims emailClaims;
    private PersonalDataProtector protector;

    @BeforeEach
    void setUp() {
        fixture = fixtureWith(CLOCK);
    }

    private FixtureConfiguration<Customer> fixtureWith(Clock clock) {
        emailClaims = new InMemoryEmailClaims();
        FixtureConfiguration<Customer> configured = new AggregateTestFixture<>(Customer.class);
        configured.registerInjectableResource(emailClaims);
        configured.registerInjectableResource(clock);
        protector = DeterministicProtection.protector();
        configured.registerInjectableResource(protector);
        configured.registerInjectableResource(DeterministicProtection.chain());
        configured.registerCommandHandlerInterceptor(new CommandValidationInterceptor(clock));
        return configured;
    }

    static CustomerRegistered registered() {
        return new CustomerRegistered(ID, sealed(NAME, "Ada Lovelace"), sealed(EMAIL, "ada@example.com"), null, "GB", "web",
                MONDAY);
    }

    static RegisterCustomer register() {
        return new RegisterCustomer(ID, "Ada Lovelace", "ada@example.com", null, "GB", "web", MONDAY);
    }

    static Money eur(String value) {
        return Money.of(value, "EUR");
    }

    static RecordPurchase purchase(String orderId, String amount) {
        return new RecordPurchase(ID, orderId, MONDAY, eur(amount), List.of(), ContactChannel.WEB);
    }

    static PurchaseRecorded purchased(String orderId, String amount) {
        return new PurchaseRecorded(ID, orderId, eur(amount), List.of(), ContactChannel.WEB, MONDAY);
    }

    static CustomerStatusChanged activatedBy(String orderId, CustomerStatus from) {
        return new CustomerStatusChanged(ID, from, CustomerStatus.ACTIVE, "purchase " + orderId, orderId, MONDAY);
    }

    static RecordRefund refund(String refundId, String amount) {
        return new RecordRefund(ID, "o-1", refundId, eur(amount), MONDAY.plusDays(1), "damaged");
    }

    static RefundRecorded refunded(String refundId, String amount) {
        return new RefundRecorded(ID, "o-1", refundId, eur(amount), "damaged", MONDAY.plusDays(1));
    }

    static RecordContact contact(String contactId, String notes) {
        return new RecordContact(ID, contactId, ContactChannel.PHONE, ContactDirection.INBOUND, MONDAY, "agent-7",
                "delivery", notes, "resolved");
    }

    static ContactRecorded contacted(String contactId, String notes) {
        return new ContactRecorded(ID, contactId, ContactChannel.PHONE, ContactDirection.INBOUND, "agent-7",
                sealed(SUBJECT, "delivery"), sealed(NOTES, notes), sealed(OUTCOME, "resolved"), MONDAY);
    }

    /** A Hamcrest matcher running AssertJ checks on the exception, for {@code expectException}. */
    static Matcher<Object> satisfying(Consumer<Object> check) {
        return new CustomMatcher<>("an exception satisfying the checks") {
            @Override
            public boolean matches(Object actual) {
                try {
                    check.accept(actual);
                    return true;
                } catch (AssertionError | ClassCastException e) {
                    return false;
                }
            }
        };
    }

    private static void assertProblem(Object e, String field) {
        assertThat(e).isInstanceOf(ClientInputException.class);
        assertThat(((ClientInputException) e).problems()).extracting(FieldProblem::field).contains(field);
    }

    @Nested
    class Registration {

        @Test
        void aNewCustomerIsRegisteredAsALeadAtVersionZero() {
            fixture.givenNoPriorActivity()
                    .when(register())
                    .expectEvents(registered())
                    .expectResultMessagePayload(new CommandResult(ID, 0, true));
            assertThat(emailClaims.owners).containsEntry("ada@example.com", ID);
        }

        @Test
        void registrationWithoutADateHappensNow() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCustomer(ID, "Ada", null, null, null, null, null))
                    .expectEvents(new CustomerRegistered(ID, sealed(NAME, "Ada"), null, null, null, null, NOW));
        }

        /** The read models keep milliseconds; a time with finer digits would show cut there and whole in as-of. */
        @Test
        void aTimeTakenFromTheClockIsKeptToTheMillisecond() {
            Clock fine = Clock.fixed(Instant.parse("2026-01-01T00:00:00.123456789Z"), ZoneOffset.UTC);
            fixtureWith(fine).givenNoPriorActivity()
                    .when(new RegisterCustomer(ID, "Ada", null, null, null, null, null))
                    .expectEvents(new CustomerRegistered(ID, sealed(NAME, "Ada"), null, null, null, null,
                            OffsetDateTime.parse("2026-01-01T00:00:00.123Z")));
        }

        @Test
        void theRuleBooksIdIsNoCustomerId() {
            // the rule book's events are stored under this id: a customer there would make the rule book unloadable
            fixture.givenNoPriorActivity()
                    .when(new RegisterCustomer(PublishSegmentationRules.RULE_BOOK_ID, "Ada", null, null, null, null, null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertProblem(e, "customerId")));
        }

        @Test
        void registeringTheSameIdTwiceIsAConflict() {
            fixture.given(registered())
                    .when(register())
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("customerId: customer 'c-1' is already registered");
        }

        @Test
        void anImportReRegisteringWithIdenticalContentIsADuplicate() {
            fixture.given(registered())
                    .when(register(), Map.of(MetadataKeys.SOURCE, MetadataKeys.SOURCE_IMPORT))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 0, false));
        }

        @Test
        void anImportReRegisteringWithOtherContentIsAConflict() {
            fixture.given(registered())
                    .when(new RegisterCustomer(ID, "Someone Else", null, null, null, null, null),
                            Map.of(MetadataKeys.SOURCE, MetadataKeys.SOURCE_IMPORT))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class);
        }

        @Test
        void anEmailBelongingToAnotherCustomerIsAConflictNamingTheEmail() {
            emailClaims.claim("c-other", "ADA@example.com");
            fixture.givenNoPriorActivity()
                    .when(register())
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("email: the address belongs to another customer");
        }

        @Test
        void aPhoneNumberHasDigits() {
            for (String phone : new String[] {"---", "( )", "+1 ."}) {
                fixtureWith(CLOCK).givenNoPriorActivity()
                        .when(new RegisterCustomer(ID, "Ada", null, phone, null, null, null))
                        .expectNoEvents()
                        .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                                .extracting(FieldProblem::field).containsExactly("phone")));
            }
            fixture.givenNoPriorActivity()
                    .when(new RegisterCustomer(ID, "Ada", null, "+44 (20) 7946-0958", null, null, null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void theNameIsRequiredAndTheCountryMustBeIsoAlpha2() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCustomer(ID, " ", "not-an-email", "call me", "Germany", null, NOW.plusMinutes(6)))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .extracting(FieldProblem::field)
                            .containsExactly("name", "email", "phone", "country", "registeredAt")));
        }

        @Test
        void clientIdsAreLimitedToASafeCharacterSet() {
            fixture.givenNoPriorActivity()
                    .when(new RegisterCustomer("bad id/1", "Ada", null, null, null, null, null))
                    .expectException(satisfying(e -> assertProblem(e, "customerId")));
        }
    }

    @Nested
    class ProfileUpdates {

        @Test
        void onlyChangedFieldsAreRecorded() {
            fixture.given(registered())
                    .when(new UpdateProfile(ID, "Ada Lovelace", null, "+44 20 7946 0000", "FR"))
                    .expectEvents(new CustomerProfileUpdated(ID, null, null, sealed(PHONE, "+44 20 7946 0000"), "FR", NOW))
                    .expectResultMessagePayload(new CommandResult(ID, 1, true));
        }

        @Test
        void anUpdateThatChangesNothingRecordsNothing() {
            fixture.given(registered())
                    .when(new UpdateProfile(ID, "Ada Lovelace", "ada@example.com", null, "GB"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 0, false));
        }

        @Test
        void changingTheEmailMovesTheClaim() {
            emailClaims.claim(ID, "ada@example.com");
            fixture.given(registered())
                    .when(new UpdateProfile(ID, null, "ada@lovelace.org", null, null))
                    .expectEvents(new CustomerProfileUpdated(ID, null, sealed(EMAIL, "ada@lovelace.org"), null, null, NOW));
            assertThat(emailClaims.owners).containsOnlyKeys("ada@lovelace.org");
        }

        @Test
        void takingAnotherCustomersEmailIsAConflict() {
            emailClaims.claim("c-2", "bob@example.com");
            fixture.given(registered())
                    .when(new UpdateProfile(ID, null, "Bob@Example.com", null, null))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class);
        }

        @Test
        void anUnknownCustomerCannotBeUpdated() {
            fixture.givenNoPriorActivity()
                    .when(new UpdateProfile(ID, "Ada", null, null, null))
                    .expectException(org.axonframework.modelling.command.AggregateNotFoundException.class);
        }

        @Test
        void anEmptyUpdateIsRefused() {
            fixture.given(registered())
                    .when(new UpdateProfile(ID, null, null, null, null))
                    .expectException(satisfying(e -> assertProblem(e, "body")));
        }
    }

    @Nested
    class Contacts {

        @Test
        void aContactIsRecorded() {
            fixture.given(registered())
                    .when(contact("k-1", "parcel late"))
                    .expectEvents(contacted("k-1", "parcel late"))
                    .expectResultMessagePayload(new CommandResult(ID, 1, true));
        }

        @Test
        void reSendingAContactWithTheSameContentRecordsNothingNew() {
            fixture.given(registered(), contacted("k-1", "parcel late"))
                    .when(contact("k-1", "parcel late"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 1, false));
        }

        /** SPEC: a retry "answers as the first time", whatever was recorded since. */
        @Test
        void aRetryAnswersTheVersionOfItsFirstCallAfterLaterEvents() {
            fixture.given(registered(), contacted("k-1", "parcel late"), contacted("k-2", "parcel found"))
                    .when(contact("k-1", "parcel late"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 1, false));
        }

        @Test
        void reUsingAContactIdWithOtherContentIsAConflict() {
            fixture.given(registered(), contacted("k-1", "parcel late"))
                    .when(contact("k-1", "parcel lost"))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("contactId: contact 'k-1' was already recorded with different content");
        }

        /** An import before contact ids were keyed recorded the line under its legacy id: the same line again is known. */
        @Test
        void anImportedContactRecordedUnderItsLegacyIdIsRecognisedUnderItsNewOne() {
            fixture.given(registered(), contacted("import-legacy", "parcel late"))
                    .when(importedContact("import-keyed", "import-legacy", "parcel late"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 1, false));
        }

        @Test
        void anImportedContactWhoseLegacyIdWasRecordedWithOtherContentIsAConflict() {
            fixture.given(registered(), contacted("import-legacy", "parcel late"))
                    .when(importedContact("import-keyed", "import-legacy", "parcel lost"))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("contactId: contact 'import-keyed' was already recorded as 'import-legacy'"
                            + " (the id imports derived before) with different content");
        }

        @Test
        void anImportedContactWithANewLegacyIdIsRecordedUnderItsKeyedId() {
            fixture.given(registered())
                    .when(importedContact("import-keyed", "import-legacy", "parcel late"))
                    .expectEvents(contacted("import-keyed", "parcel late"));
        }

        private static RecordContact importedContact(String contactId, String legacyContactId, String notes) {
            RecordContact contact = contact(contactId, notes);
            return new RecordContact(ID, contactId, contact.channel(), contact.direction(), contact.occurredAt(),
                    contact.agent(), contact.subject(), notes, contact.outcome(), legacyContactId);
        }

        @Test
        void channelDirectionAndTimeAreRequired() {
            fixture.given(registered())
                    .when(new RecordContact(ID, "k-1", null, null, null, null, null, null, null))
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .extracting(FieldProblem::field).containsExactly("channel", "direction", "occurredAt")));
        }
    }

    @Nested
    class Purchases {

        @ParameterizedTest
        @EnumSource(value = CustomerStatus.class, names = {"INACTIVE", "CHURNED"})
        void anyPurchaseOfAnInactiveOrChurnedCustomerMakesThemActive(CustomerStatus status) {
            fixture.given(registered(), purchased("o-0", "10"), activatedBy("o-0", CustomerStatus.LEAD),
                            new CustomerStatusChanged(ID, CustomerStatus.ACTIVE, status, "quiet", null, MONDAY))
                    .when(purchase("o-1", "20"))
                    .expectEvents(purchased("o-1", "20"), activatedBy("o-1", status))
                    .expectResultMessagePayload(new CommandResult(ID, 5, true));
        }

        /** History imported after the decision: the purchase happened while the customer was still active. */
        @ParameterizedTest
        @EnumSource(value = CustomerStatus.class, names = {"INACTIVE", "CHURNED"})
        void aPurchaseDatedBeforeTheMoveToInactiveOrChurnedDoesNotUndoIt(CustomerStatus status) {
            fixture.given(registered(), purchased("o-0", "10"), activatedBy("o-0", CustomerStatus.LEAD),
                            new CustomerStatusChanged(ID, CustomerStatus.ACTIVE, status, "quiet", null, MONDAY))
                    .when(new RecordPurchase(ID, "o-1", MONDAY.minusSeconds(1), eur("20"), List.of(), ContactChannel.WEB))
                    .expectEvents(new PurchaseRecorded(ID, "o-1", eur("20"), List.of(), ContactChannel.WEB,
                            MONDAY.minusSeconds(1)))
                    .expectResultMessagePayload(new CommandResult(ID, 4, true));
        }

        @Test
        void aBackDatedFirstPurchaseOfAProspectStillMakesThemActive() {
            fixture.given(registered(),
                            new CustomerStatusChanged(ID, CustomerStatus.LEAD, CustomerStatus.PROSPECT, "call", null, MONDAY))
                    .when(new RecordPurchase(ID, "o-1", MONDAY.minusDays(1), eur("20"), List.of(), ContactChannel.WEB))
                    .expectEvents(new PurchaseRecorded(ID, "o-1", eur("20"), List.of(), ContactChannel.WEB,
                                    MONDAY.minusDays(1)),
                            new CustomerStatusChanged(ID, CustomerStatus.PROSPECT, CustomerStatus.ACTIVE, "purchase o-1",
                                    "o-1", MONDAY.minusDays(1)));
        }

        @Test
        void theFirstPurchaseOfALeadMakesThemActive() {
            fixture.given(registered())
                    .when(purchase("o-1", "149.90"))
                    .expectEvents(purchased("o-1", "149.90"), activatedBy("o-1", CustomerStatus.LEAD))
                    .expectResultMessagePayload(new CommandResult(ID, 2, true));
        }

        @Test
        void theFirstPurchaseOfAProspectMakesThemActive() {
            fixture.given(registered(), new CustomerStatusChanged(ID, CustomerStatus.LEAD, CustomerStatus.PROSPECT, "call", null, MONDAY))
                    .when(purchase("o-1", "10"))
                    .expectEvents(purchased("o-1", "10"), activatedBy("o-1", CustomerStatus.PROSPECT));
        }

        @Test
        void aPurchaseOfAnActiveCustomerChangesNoStatus() {
            fixture.given(registered(), purchased("o-1", "10"), activatedBy("o-1", CustomerStatus.LEAD))
                    .when(purchase("o-2", "20"))
                    .expectEvents(purchased("o-2", "20"));
        }

        @Test
        void aFreeOrderIsAPurchase() {
            fixture.given(registered(), purchased("o-1", "10"), activatedBy("o-1", CustomerStatus.LEAD))
                    .when(purchase("o-2", "0"))
                    .expectEvents(purchased("o-2", "0"));
        }

        @Test
        void reSendingAPurchaseWithTheSameContentRecordsNothingNew() {
            fixture.given(registered(), purchased("o-1", "10.00"), activatedBy("o-1", CustomerStatus.LEAD))
                    .when(new RecordPurchase(ID, "o-1", MONDAY.withOffsetSameInstant(ZoneOffset.UTC), eur("10.0"),
                            List.of(), ContactChannel.WEB))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 2, false));
        }

        /** The first call recorded the purchase and the move to ACTIVE it made: it answered the move's version. */
        @Test
        void aRetryAnswersTheVersionOfItsFirstCallAfterLaterEvents() {
            fixture.given(registered(), purchased("o-1", "10.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            purchased("o-2", "20.00"), contacted("k-1", "thanks"))
                    .when(purchase("o-1", "10.00"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 2, false));
        }

        @Test
        void reUsingAnOrderIdWithOtherContentIsAConflict() {
            fixture.given(registered(), purchased("o-1", "10"), activatedBy("o-1", CustomerStatus.LEAD))
                    .when(purchase("o-1", "11"))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("orderId: order 'o-1' was already recorded with different content");
        }

        @Test
        void linesMustSumToTheAmount() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, eur("100.00"),
                            List.of(new PurchaseLine("sku-1", 2, eur("30.00")), new PurchaseLine("sku-2", 1, eur("30.00"))),
                            null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactly(new FieldProblem("lines", "the lines sum to 90.00 but the amount is 100.00"))));
        }

        @Test
        void linesThatSumToTheAmountAreRecorded() {
            List<PurchaseLine> lines = List.of(new PurchaseLine("sku-1", 2, eur("30.00")), new PurchaseLine("sku-2", 1, eur("40")));
            fixture.given(registered(), purchased("o-0", "1"), activatedBy("o-0", CustomerStatus.LEAD))
                    .when(new RecordPurchase(ID, "o-1", MONDAY, eur("100.00"), lines, null))
                    .expectEvents(new PurchaseRecorded(ID, "o-1", eur("100.00"), lines, null, MONDAY));
        }

        @Test
        void aNegativeAmountIsRefused() {
            fixture.given(registered())
                    .when(purchase("o-1", "-0.01"))
                    .expectException(satisfying(e -> assertProblem(e, "amount.value")));
        }

        @Test
        void moreDecimalsThanTheCurrencyHasAreRefused() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, Money.of("10.5", "JPY"), List.of(), null))
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactly(new FieldProblem("amount.value", "at most 0 decimal digits are allowed for JPY"))));
        }

        /**
         * The digits before the point are the precision less the scale; with an exponent near the int range that
         * difference overflowed to a negative and the amount passed, then failed the line sum with an
         * ArithmeticException (a 500), or without lines was recorded and failed every read model's arithmetic.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"1E+2147483647", "9.99E+2147483647", "1E+16"})
        void anAmountWithAnExponentBeyondFifteenDigitsIsRefusedHoweverLargeTheExponent(String value) {
            String tooManyDigits = "at most 15 digits are allowed before the decimal point";
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, Money.of(value, "EUR"),
                            List.of(new PurchaseLine("sku-1", 1, Money.of(value, "EUR"))), null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactlyInAnyOrder(new FieldProblem("amount.value", tooManyDigits),
                                    new FieldProblem("lines[0].unitPrice.value", tooManyDigits))));
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, Money.of(value, "EUR"), List.of(), null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactly(new FieldProblem("amount.value", tooManyDigits))));
            fixture.given(registered(), purchased("o-1", "100.00"))
                    .when(new RecordRefund(ID, "o-1", "r-1", Money.of(value, "EUR"), MONDAY.plusDays(1), null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactly(new FieldProblem("amount.value", tooManyDigits))));
        }

        /** Money is a plain decimal string: 1E+2 (100.00 with its zeros stripped) is recorded as 100, not as written. */
        @Test
        void anAmountWrittenWithAPositiveExponentIsRecordedAsAPlainDecimal() {
            fixture.given(registered())
                    .when(purchase("o-1", "1E+2"))
                    .expectEvents(purchased("o-1", "100"), activatedBy("o-1", CustomerStatus.LEAD));
        }

        @Test
        void anAmountOfMoreThanFifteenDigitsBeforeThePointIsRefused() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, Money.of("1E+999999999", "EUR"),
                            List.of(new PurchaseLine("sku-1", 1, eur("1"))), null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems()).containsExactly(
                            new FieldProblem("amount.value", "at most 15 digits are allowed before the decimal point"))));
            fixture.given(registered())
                    .when(purchase("o-2", "999999999999999.99"))
                    .expectSuccessfulHandlerExecution();
        }

        /**
         * Zero written with a billion decimal places: its plain text (a message, a projection's figure) is a billion
         * characters long, and adding it to anything needs a billion-digit number. Up to 18 places, trailing zeros
         * are read as what they are.
         */
        @Test
        void anAmountWrittenWithMoreThanEighteenDecimalPlacesIsRefused() {
            String reason = "at most 18 decimal places may be written (trailing zeros included), and at most 2 of them "
                    + "other than zero for EUR";
            fixture.given(registered())
                    .when(purchase("o-1", "0E-999999999"))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertThat(((ClientInputException) e).problems())
                            .containsExactly(new FieldProblem("amount.value", reason))));
            fixture.given(registered())
                    .when(purchase("o-2", "12.500000000000000000"))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void aMissingLineIsNamed() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, eur("1"), java.util.Arrays.asList(
                            new PurchaseLine("sku-1", 1, eur("1")), null), null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertProblem(e, "lines[1]")));
        }

        @Test
        void anUnknownCurrencyIsRefused() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", MONDAY, Money.of("10", "EUX"), List.of(), null))
                    .expectException(satisfying(e -> assertProblem(e, "amount.currency")));
        }

        @Test
        void aPurchaseMoreThanFiveMinutesInTheFutureIsRefused() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", NOW.plusMinutes(5).plusSeconds(1), eur("1"), List.of(), null))
                    .expectException(satisfying(e -> assertProblem(e, "occurredAt")));
        }

        @Test
        void aPurchaseFiveMinutesAheadIsClockSkewAndAccepted() {
            fixture.given(registered())
                    .when(new RecordPurchase(ID, "o-1", NOW.plusMinutes(5), eur("1"), List.of(), null))
                    .expectSuccessfulHandlerExecution();
        }

        @Test
        void aPurchaseForAnUnknownCustomerIsNotFound() {
            fixture.givenNoPriorActivity()
                    .when(purchase("o-1", "1"))
                    .expectException(org.axonframework.modelling.command.AggregateNotFoundException.class);
        }
    }

    @Nested
    class Refunds {

        private final Object[] paid100 = {registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD)};

        @Test
        void aRefundUpToWhatWasPaidIsRecorded() {
            fixture.given(paid100)
                    .when(refund("r-1", "100.00"))
                    .expectEvents(refunded("r-1", "100.00"))
                    .expectResultMessagePayload(new CommandResult(ID, 3, true));
        }

        @Test
        void severalPartialRefundsMayTogetherReachWhatWasPaid() {
            fixture.given(registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            refunded("r-1", "40.00"), refunded("r-2", "59.99"))
                    .when(refund("r-3", "0.01"))
                    .expectEvents(refunded("r-3", "0.01"));
        }

        @Test
        void cannotRefundMoreThanWasPaid() {
            fixture.given(registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            refunded("r-1", "60.00"))
                    .when(refund("r-2", "40.01"))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class)
                    .expectExceptionMessage("amount: refunds would exceed the order: paid 100.00 EUR, already refunded "
                            + "60.00 EUR, at most 40.00 EUR can still be refunded");
        }

        @Test
        void aRefundForAnUnknownOrderIsNotFound() {
            fixture.given(paid100)
                    .when(new RecordRefund(ID, "o-404", "r-1", eur("1"), MONDAY, null))
                    .expectNoEvents()
                    .expectException(UnknownOrderException.class);
        }

        @Test
        void aRefundRetryAnswersTheVersionOfItsFirstCallAfterLaterEvents() {
            fixture.given(registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            refunded("r-1", "10.00"), contacted("k-1", "sorry"))
                    .when(refund("r-1", "10.00"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 3, false));
        }

        @Test
        void reSendingARefundWithTheSameContentRecordsNothingNew() {
            fixture.given(registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            refunded("r-1", "100.00"))
                    .when(refund("r-1", "100.00"))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 3, false));
        }

        @Test
        void reUsingARefundIdWithOtherContentIsAConflict() {
            fixture.given(registered(), purchased("o-1", "100.00"), activatedBy("o-1", CustomerStatus.LEAD),
                            refunded("r-1", "10.00"))
                    .when(refund("r-1", "20.00"))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class);
        }

        @Test
        void aRefundMustBePositive() {
            fixture.given(paid100)
                    .when(refund("r-1", "0"))
                    .expectException(satisfying(e -> assertProblem(e, "amount.value")));
        }

        @Test
        void aRefundIsInTheOrdersCurrency() {
            fixture.given(paid100)
                    .when(new RecordRefund(ID, "o-1", "r-1", Money.of("1", "USD"), MONDAY, null))
                    .expectNoEvents()
                    .expectException(satisfying(e -> assertProblem(e, "amount.currency")));
        }

        @Test
        void aRefundCannotPrecedeItsOrder() {
            fixture.given(paid100)
                    .when(new RecordRefund(ID, "o-1", "r-1", eur("1"), MONDAY.minusDays(1), null))
                    .expectNoEvents()
                    .expectException(CustomerConflictException.class);
        }
    }

    @Nested
    class Lifecycle {

        private Object[] historyReaching(CustomerStatus status) {
            CustomerStatusChanged toActive = activatedBy("o-0", CustomerStatus.LEAD);
            return switch (status) {
                case LEAD -> new Object[]{registered()};
                case PROSPECT -> new Object[]{registered(),
                        new CustomerStatusChanged(ID, CustomerStatus.LEAD, CustomerStatus.PROSPECT, "call", null, MONDAY)};
                case ACTIVE -> new Object[]{registered(), purchased("o-0", "1"), toActive};
                case INACTIVE, CHURNED -> new Object[]{registered(), purchased("o-0", "1"), toActive,
                        new CustomerStatusChanged(ID, CustomerStatus.ACTIVE, status, "quiet", null, MONDAY)};
            };
        }

        @ParameterizedTest(name = "{0} may move to what CustomerStatus allows")
        @EnumSource(CustomerStatus.class)
        void everyAllowedTransitionIsRecorded(CustomerStatus from) {
            for (CustomerStatus to : from.allowedNext()) {
                setUp();
                fixture.given(historyReaching(from))
                        .when(new ChangeStatus(ID, to, "review", null))
                        .expectEvents(new CustomerStatusChanged(ID, from, to, "review", null, NOW));
            }
        }

        @ParameterizedTest(name = "{0} may not move elsewhere")
        @EnumSource(CustomerStatus.class)
        void everyOtherTransitionIsAConflictNamingTheAllowedOnes(CustomerStatus from) {
            for (CustomerStatus to : CustomerStatus.values()) {
                if (from.canMoveTo(to)) {
                    continue;
                }
                setUp();
                fixture.given(historyReaching(from))
                        .when(new ChangeStatus(ID, to, "review", MONDAY.plusDays(3)))
                        .expectNoEvents()
                        .expectException(satisfying(e -> {
                            CustomerConflictException conflict = (CustomerConflictException) e;
                            assertThat(conflict.field()).isEqualTo("status");
                            assertThat(conflict.details().get("allowedTransitions"))
                                    .isEqualTo(from.allowedNext().stream().map(Enum::name).sorted().toList());
                        }));
            }
        }

        @Test
        void theConflictMessageNamesTheAllowedTransitions() {
            fixture.given(historyReaching(CustomerStatus.LEAD))
                    .when(new ChangeStatus(ID, CustomerStatus.CHURNED, "gone", null))
                    .expectExceptionMessage("status: cannot move from LEAD to CHURNED; allowed from LEAD: ACTIVE, PROSPECT");
        }

        @Test
        void reSendingAStatusChangeWithTheSameEffectiveTimeRecordsNothingNew() {
            OffsetDateTime at = MONDAY.plusDays(3);
            fixture.given(registered(), new CustomerStatusChanged(ID, CustomerStatus.LEAD, CustomerStatus.PROSPECT, "call", null, at))
                    .when(new ChangeStatus(ID, CustomerStatus.PROSPECT, "call", at))
                    .expectNoEvents()
                    .expectResultMessagePayload(new CommandResult(ID, 1, false));
        }

        @Test
        void aStatusChangeNeedsAReason() {
            fixture.given(registered())
                    .when(new ChangeStatus(ID, CustomerStatus.PROSPECT, " ", null))
                    .expectException(satisfying(e -> assertProblem(e, "reason")));
        }
    }

    @Test
    void everyAllowedTransitionIsCoveredBySpec() {
        // The lifecycle of SPEC section 4, spelled out, so a change to CustomerStatus is noticed here.
        assertThat(CustomerStatus.LEAD.allowedNext()).isEqualTo(Set.of(CustomerStatus.PROSPECT, CustomerStatus.ACTIVE));
        assertThat(CustomerStatus.PROSPECT.allowedNext()).isEqualTo(Set.of(CustomerStatus.ACTIVE));
        assertThat(CustomerStatus.ACTIVE.allowedNext()).isEqualTo(Set.of(CustomerStatus.INACTIVE, CustomerStatus.CHURNED));
        assertThat(CustomerStatus.INACTIVE.allowedNext()).isEqualTo(Set.of(CustomerStatus.ACTIVE, CustomerStatus.CHURNED));
        assertThat(CustomerStatus.CHURNED.allowedNext()).isEqualTo(Set.of(CustomerStatus.ACTIVE));
    }
}
