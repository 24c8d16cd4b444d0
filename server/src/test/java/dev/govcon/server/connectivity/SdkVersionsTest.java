package dev.govcon.server.connectivity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.govcon.sdk.SdkVersion;

/** Semantic versions, and the server's idea of the current SDK matching the SDK itself. */
class SdkVersionsTest {

    @Test
    void theServerKnowsTheCurrentJavaSdk() {
        assertThat(SdkVersions.CURRENT_JAVA).isEqualTo(SdkVersion.CURRENT);
        assertThat(SdkVersions.outdated("java", SdkVersion.CURRENT)).isFalse();
    }

    private static int compare(String a, String b) {
        return Integer.signum(SdkVersions.Version.parse(a).orElseThrow().compareTo(SdkVersions.Version.parse(b).orElseThrow()));
    }

    @Test
    void versionsCompareSemantically() {
        assertThat(compare("0.9.0", "0.10.0")).isEqualTo(-1);
        assertThat(compare("1.10.2", "1.9.9")).isEqualTo(1);
        assertThat(compare("1.0.0-rc.1", "1.0.0")).isEqualTo(-1);
        assertThat(compare("1.0.0-alpha", "1.0.0-alpha.1")).isEqualTo(-1);
        assertThat(compare("1.0.0-alpha.beta", "1.0.0-beta")).isEqualTo(-1);
        assertThat(compare("1.0.0-beta.2", "1.0.0-beta.11")).isEqualTo(-1);
        assertThat(compare("1.0.0-rc.1", "1.0.0-beta.11")).isEqualTo(1);
        assertThat(compare("1.2", "1.2.0")).isZero();
        assertThat(compare("v2.0.0+build.7", "2.0.0")).isZero();
    }

    @Test
    void onlyJavaSdksWithAReadableVersionAreFlagged() {
        assertThat(SdkVersions.outdated("java", "0.0.9")).isTrue();
        assertThat(SdkVersions.outdated("", "0.0.9")).isTrue();
        assertThat(SdkVersions.outdated("Java", "0.0.9")).isTrue();
        assertThat(SdkVersions.outdated("python", "0.0.1")).isFalse();
        assertThat(SdkVersions.outdated("java", "")).isFalse();
        assertThat(SdkVersions.outdated("java", "latest")).isFalse();
        assertThat(SdkVersions.outdated("java", "99.0.0")).isFalse();
    }
}
