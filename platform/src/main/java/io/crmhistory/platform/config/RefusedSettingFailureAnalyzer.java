package io.crmhistory.platform.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Puts a {@link RefusedSetting} at the top of the start-failure report: without it the reason sits at the end of a
 * chain of bean-creation exceptions. Spring Boot's own analyzer of invalid property values is not used because it
 * prints the value as found in the environment, and a refused password or key would then be logged.
 */
class RefusedSettingFailureAnalyzer extends AbstractFailureAnalyzer<RefusedSetting> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RefusedSetting cause) {
        return new FailureAnalysis("The setting " + cause.property() + " was refused: " + cause.reason(),
                "Correct " + cause.property() + " (application properties, an environment variable or a command-line"
                        + " argument) and start again; docs/operating.md describes the settings.", cause);
    }
}
