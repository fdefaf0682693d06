package dev.vesper.host;

/** Names that tie the host to the API bundle. */
final class ApiPackages {
    /** The API bundle's symbolic name, as the parent pom derives it. */
    static final String API_BUNDLE = "dev.vesper.vesper-api";

    private ApiPackages() {
    }
}
