package dev.bbr.director;

/**
 * The parts of {@code GET /info} bbr cares about. Every field may be null: bbr's own mock answers
 * only {@code {"user_authentication":{"type":"basic"}}}.
 *
 * @param authenticationType {@code basic} or {@code uaa} ({@code user_authentication.type})
 * @param uaaUrl {@code user_authentication.options.url} when it is a string, else null
 */
public record Info(String name, String uuid, String version, String user, String cpi,
        String authenticationType, String uaaUrl) {

    /** True when the Director delegates authentication to UAA. */
    public boolean usesUaa() {
        return "uaa".equals(authenticationType);
    }
}
