package dev.govcon.server.connectivity;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The current Java SDK release and semantic-version comparison. The server does not depend on
 * client-sdk, so the release is repeated here ({@code SdkVersionsTest} checks it equals
 * {@code dev.govcon.sdk.SdkVersion.CURRENT}). Versions compare as SemVer 2.0: numerically by
 * major, minor, patch ({@code 0.9.0 < 0.10.0}), a pre-release below its release
 * ({@code 1.0.0-rc.1 < 1.0.0}); build metadata is ignored. A version that is not SemVer is
 * never called outdated: there is nothing sound to compare.
 */
public final class SdkVersions {
    /** The Java SDK release integrations are compared against. */
    public static final String CURRENT_JAVA = "0.1.0";
    private static final Pattern SEMVER = Pattern.compile(
            "^v?(\\d{1,9})(?:\\.(\\d{1,9}))?(?:\\.(\\d{1,9}))?(?:-([0-9A-Za-z.-]+))?(?:\\+[0-9A-Za-z.-]*)?$");

    private SdkVersions() {
    }

    /**
     * True for a Java (or unnamed-language) SDK older than {@link #CURRENT_JAVA}; other
     * languages have their own releases, which this server does not track.
     */
    static boolean outdated(String language, String version) {
        if (!language.isEmpty() && !language.equalsIgnoreCase("java")) {
            return false;
        }
        Optional<Version> v = Version.parse(version);
        return v.isPresent() && v.get().compareTo(Version.parse(CURRENT_JAVA).orElseThrow()) < 0;
    }

    record Version(int major, int minor, int patch, String preRelease) implements Comparable<Version> {

        static Optional<Version> parse(String text) {
            Matcher m = SEMVER.matcher(text == null ? "" : text.strip());
            if (!m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Version(Integer.parseInt(m.group(1)), number(m.group(2)), number(m.group(3)),
                                           m.group(4) == null ? "" : m.group(4)));
        }

        private static int number(String group) {
            return group == null ? 0 : Integer.parseInt(group);
        }

        @Override
        public int compareTo(Version o) {
            int c = Integer.compare(major, o.major);
            if (c == 0) {
                c = Integer.compare(minor, o.minor);
            }
            if (c == 0) {
                c = Integer.compare(patch, o.patch);
            }
            return c != 0 ? c : comparePreRelease(preRelease, o.preRelease);
        }

        /** SemVer 11.3-11.4: none beats any; identifiers numerically or by ASCII; fewer loses a tie. */
        private static int comparePreRelease(String a, String b) {
            if (a.equals(b)) {
                return 0;
            }
            if (a.isEmpty() || b.isEmpty()) {
                return a.isEmpty() ? 1 : -1;
            }
            String[] x = a.split("\\.");
            String[] y = b.split("\\.");
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                boolean xn = x[i].matches("\\d+");
                boolean yn = y[i].matches("\\d+");
                int c;
                if (xn && yn) {
                    c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
                } else if (xn != yn) {
                    c = xn ? -1 : 1;
                } else {
                    c = x[i].compareTo(y[i]);
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(x.length, y.length);
        }
    }
}
