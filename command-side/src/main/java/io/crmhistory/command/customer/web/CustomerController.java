package io.crmhistory.command.customer.web;

import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.ErasePersonalData;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import io.crmhistory.command.infrastructure.CommandDispatcher;
import io.crmhistory.platform.web.ClientInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.Map;
import java.util.UUID;

/**
 * HTTP to customer commands and back; every rule lives behind the command bus, so this only
 * translates. Idempotent retries answer like the first call (same status), with {@code recorded=false}.
 */
@RestController
@RequestMapping(path = "/api/customers", consumes = MediaType.APPLICATION_JSON_VALUE,
        produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "customers", description = "Record what happens to customers (role writer)")
class CustomerController {

    private final CommandDispatcher commands;

    CustomerController(CommandDispatcher commands) {
        this.commands = commands;
    }

    @PostMapping
    @Operation(summary = "Register a customer", description = "The id is generated when not given. "
            + "409 when the id is registered already or the email belongs to another customer.")
    @ApiResponse(responseCode = "201", description = "registered")
    ResponseEntity<CommandResponse> register(@RequestBody CustomerRequests.Register body) {
        requireBody(body);
        String customerId = body.customerId() != null ? body.customerId() : UUID.randomUUID().toString();
        CommandResponse response = send(new RegisterCustomer(customerId, body.name(), body.email(), body.phone(),
                body.country(), body.acquisitionChannel(), body.registeredAt()));
        return ResponseEntity.created(URI.create("/api/customers/" + customerId)).body(response);
    }

    @PatchMapping("/{customerId}")
    @Operation(summary = "Change profile fields", description = "Only the fields given change. 404 unknown customer, 409 email taken.")
    CommandResponse update(@PathVariable String customerId, @RequestBody CustomerRequests.UpdateProfile body) {
        requireBody(body);
        return send(new UpdateProfile(customerId, body.name(), body.email(), body.phone(), body.country()));
    }

    @PostMapping("/{customerId}/contacts")
    @Operation(summary = "Record a contact", description = "Re-sending a contactId with the same content records nothing "
            + "new; with different content it is a 409. The id is generated when not given.")
    @ApiResponse(responseCode = "201", description = "recorded (or already recorded)")
    ResponseEntity<CommandResponse> contact(@PathVariable String customerId, @RequestBody CustomerRequests.Contact body) {
        requireBody(body);
        String contactId = body.contactId() != null ? body.contactId() : UUID.randomUUID().toString();
        CommandResponse response = send(new RecordContact(customerId, contactId, body.channel(), body.direction(),
                body.occurredAt(), body.agent(), body.subject(), body.notes(), body.outcome()));
        return ResponseEntity.status(HttpStatus.CREATED).body(response.withContactId(contactId));
    }

    @PostMapping("/{customerId}/purchases")
    @Operation(summary = "Record a purchase", description = "A LEAD, PROSPECT, INACTIVE or CHURNED customer also moves "
            + "to ACTIVE. Idempotent by orderId.")
    @ApiResponse(responseCode = "201", description = "recorded (or already recorded)")
    ResponseEntity<CommandResponse> purchase(@PathVariable String customerId, @RequestBody CustomerRequests.Purchase body) {
        requireBody(body);
        CommandResponse response = send(new RecordPurchase(customerId, body.orderId(), body.occurredAt(), body.amount(),
                body.lines(), body.channel()));
        return ResponseEntity.status(HttpStatus.CREATED).body(response.withOrderId(body.orderId()));
    }

    @PostMapping("/{customerId}/purchases/{orderId}/refunds")
    @Operation(summary = "Record a refund", description = "409 when the order's refunds would exceed what was paid; "
            + "404 for an unknown order. Idempotent by refundId.")
    @ApiResponse(responseCode = "201", description = "recorded (or already recorded)")
    ResponseEntity<CommandResponse> refund(@PathVariable String customerId, @PathVariable String orderId,
                                           @RequestBody CustomerRequests.Refund body) {
        requireBody(body);
        CommandResponse response = send(new RecordRefund(customerId, orderId, body.refundId(), body.amount(),
                body.occurredAt(), body.reason()));
        return ResponseEntity.status(HttpStatus.CREATED).body(response.withOrderId(orderId).withRefundId(body.refundId()));
    }

    @PostMapping("/{customerId}/status")
    @Operation(summary = "Change the lifecycle status", description = "409 on a transition that is not allowed, "
            + "naming the allowed ones (allowedTransitions).")
    CommandResponse status(@PathVariable String customerId, @RequestBody CustomerRequests.ChangeStatus body) {
        requireBody(body);
        return send(new ChangeStatus(customerId, body.status(), body.reason(), body.effectiveAt()))
                .withStatus(body.status());
    }

    @DeleteMapping("/{customerId}/personal-data")
    @Operation(summary = "Erase the customer's personal data (role ops)", description = "Destroys the customer's data key: "
            + "name, email, phone and contact texts of every event become unreadable; the email can be registered again. "
            + "Purchases, refunds and status stay. Erasing again answers 200 with recorded=false. 404 unknown customer.")
    CommandResponse erasePersonalData(@PathVariable String customerId, @RequestBody CustomerRequests.ErasePersonalData body) {
        requireBody(body);
        return send(new ErasePersonalData(customerId, body.reason()));
    }

    private CommandResponse send(Object command) {
        return CommandResponse.of(commands.send(command, Map.of()));
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw new ClientInputException("body", "a JSON object is required");
        }
    }
}
