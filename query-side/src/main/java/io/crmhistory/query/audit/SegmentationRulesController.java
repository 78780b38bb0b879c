package io.crmhistory.query.audit;

import io.crmhistory.api.customer.query.SegmentationRuleVersions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Which segmentation rules are in force, and every version before, with who published it and when. */
@RestController
class SegmentationRulesController {

    private final RuleVersions ruleVersions;

    SegmentationRulesController(RuleVersions ruleVersions) {
        this.ruleVersions = ruleVersions;
    }

    @GetMapping("/api/segmentation-rules")
    SegmentationRuleVersions rules() {
        return ruleVersions.listing();
    }
}
