// ACME directory presets, as plain URLs so importing them does not load the ACME client.

/**
 * Well-known ACME directories. Any other directory URL (pebble, a private CA) works too.
 * @example
 * await issueCertificate(host, { domains: ['example.com'], directoryUrl: acme.directory.letsencrypt.staging, ... })
 */
export const acme = {
  directory: {
    letsencrypt: {
      /** Untrusted certificates, generous rate limits: try a deploy here first. */
      staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
      production: 'https://acme-v02.api.letsencrypt.org/directory',
    },
  },
} as const
