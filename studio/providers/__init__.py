"""The providers: the Provider ABC and registry (`base`, `registry`), the shared remote base
(`remote`, `http`: net errors → ProviderErrors), the offline `local` provider, and one
package per remote API. Imports `studio.render`, `studio.net`, settings, secrets, core."""
