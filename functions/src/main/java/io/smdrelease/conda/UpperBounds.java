package io.smdrelease.conda;

import io.smdrelease.error.InvalidInputException;
import io.smdrelease.version.ReleaseType;
import io.smdrelease.version.SemVer;
import java.util.Map;

/**
 * The upper bound a new env.in gives a package, from the version the base image resolved (its env.out) and the kind of
 * release: a patch release admits patch updates, a minor release minor updates, a major release anything newer.
 *
 * <p>Versions that python-semver cannot read ({@code 0.55b1}, {@code 2024.07.02}, {@code 3.000}, {@code 2025b}), on
 * which the original tool crashes, get a bound from their leading numeric fields instead: up to three dot-fields
 * are read while each starts with a digit; a field's leading digits are its number (leading zeros dropped), and the
 * first field with anything after its digits is the last one read. So {@code 0.55b1} bounds like {@code 0.55},
 * {@code 2024.07.02} like {@code 2024.7.2}, {@code 2025b} like {@code 2025}. An epoch ({@code 1!2.3}) is kept in the
 * bound ({@code <1!2.4.0}).
 */
public final class UpperBounds {

    /** How a package's versions move: semver (minor releases are compatible) or like Python (minor is breaking). */
    public enum Strategy {
        SEMVER,
        PYTHONESQUE
    }

    private static final Map<String, Strategy> STRATEGIES = Map.of("python", Strategy.PYTHONESQUE);

    private UpperBounds() {}

    public static Strategy strategyOf(String packageName) {
        return STRATEGIES.getOrDefault(packageName, Strategy.SEMVER);
    }

    /**
     * The text after the lower bound: {@code ,<M.(m+1).0}, {@code ,<(M+1).0.0}, or empty for a major release.
     *
     * @throws InvalidInputException when the version has no leading number at all
     */
    public static String upperBound(String packageName, String lowerBound, ReleaseType release) {
        if (release == ReleaseType.MAJOR) {
            return "";
        }
        String epoch = "";
        String version = lowerBound;
        int bang = version.indexOf('!');
        if (bang > 0 && version.substring(0, bang).chars().allMatch(Character::isDigit)) {
            epoch = version.substring(0, bang + 1);
            version = version.substring(bang + 1);
        }
        SemVer base = parseForBound(packageName, version);
        SemVer bound = release == ReleaseType.PATCH || strategyOf(packageName) == Strategy.PYTHONESQUE
                ? base.bumpMinor()
                : base.bumpMajor();
        return ",<" + epoch + bound;
    }

    private static SemVer parseForBound(String packageName, String version) {
        String[] fields = version.split("\\.", -1);
        String firstThree = fields.length > 3 ? fields[0] + "." + fields[1] + "." + fields[2] : version;
        SemVer parsed = SemVer.tryParseOptionalMinorPatch(firstThree);
        if (parsed != null) {
            return parsed;
        }
        int[] numbers = new int[3];
        int read = 0;
        for (int i = 0; i < Math.min(3, fields.length); i++) {
            String field = fields[i];
            int digits = 0;
            while (digits < field.length() && Character.isDigit(field.charAt(digits)) && field.charAt(digits) < 128) {
                digits++;
            }
            if (digits == 0) {
                break;
            }
            String number = field.substring(0, digits).replaceFirst("^0+(?=\\d)", "");
            if (number.length() > 9) {
                break;
            }
            numbers[read++] = Integer.parseInt(number);
            if (digits < field.length()) {
                break;
            }
        }
        if (read == 0) {
            throw new InvalidInputException(
                    "cannot compute an upper bound for " + packageName + " " + version
                            + ": the version does not start with a number; pin the package by hand in the additional packages file");
        }
        return SemVer.of(numbers[0], numbers[1], numbers[2]);
    }
}
