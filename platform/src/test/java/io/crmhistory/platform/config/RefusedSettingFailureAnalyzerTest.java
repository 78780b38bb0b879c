package io.crmhistory.platform.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(OutputCaptureExtension.class)
class RefusedSettingFailureAnalyzerTest {

    @Test
    void aRefusedSettingLeadsTheStartFailureReportWithItsPropertyAndReasonButNotItsValue(CapturedOutput output) {
        SpringApplication application = new SpringApplication(RefusingConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--crm.test.secret={noop}s3cret-pw")).hasRootCauseInstanceOf(RefusedSetting.class);

        String report = output.getOut() + output.getErr();
        assertThat(report).contains("APPLICATION FAILED TO START")
                .contains("The setting crm.test.secret was refused: {noop} is not accepted")
                .contains("Correct crm.test.secret")
                .doesNotContain("s3cret-pw");
    }

    @Configuration(proxyBeanMethods = false)
    static class RefusingConfiguration {

        @Bean
        String refused() {
            throw new RefusedSetting("crm.test.secret", "{noop} is not accepted");
        }
    }
}
