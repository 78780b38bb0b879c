package io.crmhistory.command.rules;

import io.crmhistory.api.rules.PublishSegmentationRules;
import io.crmhistory.api.rules.SegmentationRuleSet;
import io.crmhistory.command.infrastructure.CommandDispatcher;
import io.crmhistory.platform.web.ClientInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Publishes segmentation rules (SPEC section 6): role ops. */
@RestController
@Tag(name = "segmentation rules", description = "Publish a new version of the segmentation rules (role ops)")
class SegmentationRulesController {

    private final CommandDispatcher commands;

    SegmentationRulesController(CommandDispatcher commands) {
        this.commands = commands;
    }

    record Published(int version) {
    }

    @PutMapping(path = "/api/segmentation-rules", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Publish a rule set", description = "Answers the version in force afterwards: the next version, "
            + "or the current one when the rule set is the one in force. 400 names the invalid field.")
    Published publish(@RequestBody SegmentationRuleSet ruleSet) {
        if (ruleSet == null) {
            throw new ClientInputException("body", "a rule set is required");
        }
        Integer version = commands.sendForResult(new PublishSegmentationRules(ruleSet));
        return new Published(version);
    }
}
