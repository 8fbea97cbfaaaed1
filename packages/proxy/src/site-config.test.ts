import { describe, expect, test } from 'vitest'
import { nginxSettings } from './nginx-options.js'
import { proxyLimits, proxySites, type Routes } from './routes.js'
import { renderSiteConfig, upgradeVariable } from './site-config.js'
import type { InstalledCertificate } from './site-spec.js'

const spec = (routes: Routes, certificates: InstalledCertificate[] = []) => ({
  name: 'web',
  sites: proxySites({ routes }),
  limits: proxyLimits({}),
  certificates,
})
// The spec line is tested in site-spec.test.ts; here only the nginx text matters.
const body = (text: string) => text.split('\n').slice(2).join('\n')

describe('renderSiteConfig', () => {
  test('one host to one port: headers, limits, ACME location, server_tokens off', () => {
    const text = renderSiteConfig(spec({ 'api.example.com': 8080 }), nginxSettings())
    expect(text.split('\n')[0]).toBe(
      '# Managed by ferry (@ferry/proxy): site "web". Edits here are replaced on the next deploy.',
    )
    expect(body(text)).toMatchInlineSnapshot(`
      "server {
          listen 80;
          server_name api.example.com;
          server_tokens off;
          client_max_body_size 10m;
          proxy_connect_timeout 10s;
          proxy_read_timeout 60s;
          proxy_send_timeout 60s;
          location ^~ /.well-known/acme-challenge/ {
              root /var/www/ferry-acme;
              default_type text/plain;
              try_files $uri =404;
          }
          location / {
              proxy_pass http://127.0.0.1:8080;
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Real-IP $remote_addr;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_set_header X-Forwarded-Host $host;
              proxy_set_header X-Forwarded-Port $server_port;
          }
      }
      "
    `)
  })

  test('paths: a websocket route gets the per-site upgrade map; no "/" route means 404', () => {
    const text = renderSiteConfig(
      spec({
        'example.com': {
          '/api/': { port: 8081, stripPrefix: true },
          '/ws/': { port: 8082, websocket: true },
        },
      }),
      nginxSettings({ listen: ['127.0.0.1', '[::1]'], httpPort: 8000 }),
    )
    expect(body(text)).toMatchInlineSnapshot(`
      "map $http_upgrade $ferry_web_connection_upgrade {
          default upgrade;
          '' close;
      }
      server {
          listen 127.0.0.1:8000;
          listen [::1]:8000;
          server_name example.com;
          server_tokens off;
          client_max_body_size 10m;
          proxy_connect_timeout 10s;
          proxy_read_timeout 60s;
          proxy_send_timeout 60s;
          location ^~ /.well-known/acme-challenge/ {
              root /var/www/ferry-acme;
              default_type text/plain;
              try_files $uri =404;
          }
          location /api/ {
              proxy_pass http://127.0.0.1:8081/;
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Real-IP $remote_addr;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_set_header X-Forwarded-Host $host;
              proxy_set_header X-Forwarded-Port $server_port;
          }
          location /ws/ {
              proxy_pass http://127.0.0.1:8082;
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Real-IP $remote_addr;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_set_header X-Forwarded-Host $host;
              proxy_set_header X-Forwarded-Port $server_port;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection $ferry_web_connection_upgrade;
          }
          location / {
              return 404;
          }
      }
      "
    `)
  })

  test('a certificate turns the name into TLS 1.2+ on the HTTPS port plus a redirect that keeps ACME', () => {
    const cert = {
      domains: ['secure.example.com'],
      certPath: '/etc/ssl/ferry/secure.example.com/fullchain.pem',
      keyPath: '/etc/ssl/ferry/secure.example.com/privkey.pem',
    }
    const text = renderSiteConfig(
      spec({ 'secure.example.com': { '/': { port: 8080, host: '::1' } } }, [cert]),
      nginxSettings({ httpPort: 8080, httpsPort: 8443, listen: ['127.0.0.1'] }),
    )
    expect(body(text)).toMatchInlineSnapshot(`
      "server {
          listen 127.0.0.1:8443 ssl http2;
          server_name secure.example.com;
          server_tokens off;
          client_max_body_size 10m;
          proxy_connect_timeout 10s;
          proxy_read_timeout 60s;
          proxy_send_timeout 60s;
          ssl_certificate /etc/ssl/ferry/secure.example.com/fullchain.pem;
          ssl_certificate_key /etc/ssl/ferry/secure.example.com/privkey.pem;
          ssl_protocols TLSv1.2 TLSv1.3;
          ssl_prefer_server_ciphers off;
          ssl_session_timeout 1d;
          ssl_session_tickets off;
          location / {
              proxy_pass http://[::1]:8080;
              proxy_http_version 1.1;
              proxy_set_header Host $host;
              proxy_set_header X-Real-IP $remote_addr;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_set_header X-Forwarded-Host $host;
              proxy_set_header X-Forwarded-Port $server_port;
          }
      }
      server {
          listen 127.0.0.1:8080;
          server_name secure.example.com;
          server_tokens off;
          location ^~ /.well-known/acme-challenge/ {
              root /var/www/ferry-acme;
              default_type text/plain;
              try_files $uri =404;
          }
          location / {
              return 301 https://$host:8443$request_uri;
          }
      }
      "
    `)
  })

  test('on port 443 the redirect carries no port; names without a certificate stay HTTP', () => {
    const cert = { domains: ['a.example.com'], certPath: '/c/a.pem', keyPath: '/c/a.key' }
    const text = renderSiteConfig(
      spec({ 'a.example.com': 8080, 'b.example.com': 8081 }, [cert]),
      nginxSettings(),
    )
    expect(text).toContain('return 301 https://$host$request_uri;')
    expect(text).toContain('listen 443 ssl http2;')
    expect(text.match(/listen 80;/g)).toHaveLength(2)
    expect(text.match(/server_name b\.example\.com;/g)).toHaveLength(1)
  })

  test('"*" catches every other name (a regex, not a second default_server) and never gets TLS', () => {
    const cert = { domains: ['a.example.com'], certPath: '/c/a.pem', keyPath: '/c/a.key' }
    const text = body(renderSiteConfig(spec({ '*': 9000 }, [cert]), nginxSettings()))
    expect(text.split('\n').slice(0, 3)).toEqual([
      'server {',
      '    listen 80;',
      '    server_name ~. "";',
    ])
    expect(text).not.toContain('default_server')
    expect(text).not.toContain('ssl')
  })

  test('limits come from the input', () => {
    const text = renderSiteConfig(
      {
        ...spec({ 'a.example.com': 8080 }),
        limits: proxyLimits({ clientMaxBodySize: '1g', timeouts: { read: 300 } }),
      },
      nginxSettings(),
    )
    expect(text).toContain('    client_max_body_size 1g;\n')
    expect(text).toContain('    proxy_read_timeout 300s;\n')
    expect(text).toContain('    proxy_connect_timeout 10s;\n')
  })

  test('the upgrade variable is unique per site and a valid nginx name', () => {
    expect(upgradeVariable('my-site-2')).toBe('$ferry_my_site_2_connection_upgrade')
  })
})
