package io.crmhistory.bench.baseline;

import io.crmhistory.api.customer.command.ChangeStatus;
import io.crmhistory.api.customer.command.RecordContact;
import io.crmhistory.api.customer.command.RecordPurchase;
import io.crmhistory.api.customer.command.RecordRefund;
import io.crmhistory.api.customer.command.RegisterCustomer;
import io.crmhistory.api.customer.command.UpdateProfile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;

/** The product's customer endpoints, same paths, bodies and status codes. */
@RestController
@RequestMapping("/api/customers")
class BaselineController {

    private final BaselineCustomerService service;

    BaselineController(BaselineCustomerService service) {
        this.service = service;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    BaselineCustomerService.Answer register(@RequestBody RegisterCustomer body, Principal principal) {
        return service.register(body, principal.getName());
    }

    @PatchMapping("/{customerId}")
    BaselineCustomerService.Answer update(@PathVariable String customerId, @RequestBody UpdateProfile body,
                                          Principal principal) {
        return service.updateProfile(customerId, body, principal.getName());
    }

    @PostMapping("/{customerId}/contacts")
    @ResponseStatus(HttpStatus.CREATED)
    BaselineCustomerService.Answer contact(@PathVariable String customerId, @RequestBody RecordContact body,
                                           Principal principal) {
        return service.recordContact(customerId, body, principal.getName());
    }

    @PostMapping("/{customerId}/purchases")
    @ResponseStatus(HttpStatus.CREATED)
    BaselineCustomerService.Answer purchase(@PathVariable String customerId, @RequestBody RecordPurchase body,
                                            Principal principal) {
        return service.recordPurchase(customerId, body, principal.getName());
    }

    @PostMapping("/{customerId}/purchases/{orderId}/refunds")
    @ResponseStatus(HttpStatus.CREATED)
    BaselineCustomerService.Answer refund(@PathVariable String customerId, @PathVariable String orderId,
                                          @RequestBody RecordRefund body, Principal principal) {
        return service.recordRefund(customerId, orderId, body, principal.getName());
    }

    @PostMapping("/{customerId}/status")
    BaselineCustomerService.Answer status(@PathVariable String customerId, @RequestBody ChangeStatus body,
                                          Principal principal) {
        return service.changeStatus(customerId, body, principal.getName());
    }
}
