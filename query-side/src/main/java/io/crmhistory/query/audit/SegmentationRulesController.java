package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.SegmentationRuleVersions;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which segmentation rules are in force, and every version before, with who published it and when. */
@RestController
@Tag(name = "segments")
class SegmentationRulesController {

    private final RuleVersions ruleVersions;

    SegmentationRulesController(RuleVersions ruleVersions) {
        this.ruleVersions = ruleVersions;
    }

    @Operation(summary = "The segmentation rules in force and every earlier version, with who published each (roles reader, auditor, ops)")
    @GetMapping("/api/segmentation-rules")
    SegmentationRuleVersions rules() {
        return ruleVersions.listing();
    }
}
