package dev.govcon.server.connectivity;

public record ProviderModelRow(String provider, String model) {
}
