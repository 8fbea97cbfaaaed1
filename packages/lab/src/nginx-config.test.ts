import { describe, expect, it } from 'vitest'
import { nginxArgv, nginxLayout, renderNginxConfig } from './nginx-config'

describe('nginx config', () => {
  const layout = nginxLayout('/lab/nginx')

  it('keeps every path nginx writes under the prefix', () => {
    const text = renderNginxConfig(layout, { httpPort: 8080 })
    expect(text).toContain('daemon off;')
    expect(text).toContain('pid "/lab/nginx/nginx.pid";')
    expect(text).toContain('error_log "/lab/nginx/logs/error.log" notice;')
    for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
      expect(text).toContain(`${temp}_temp_path "/lab/nginx/temp/${temp}";`)
    }
    expect(text).toContain('listen 127.0.0.1:8080 default_server;')
    expect(text).toContain('root "/lab/nginx/webroot";')
    expect(text).toContain('include "/lab/nginx/conf.d/*.conf";')
    expect(text).not.toContain('mime.types')
  })

  it('builds -t and reload argv with absolute paths', () => {
    expect(nginxArgv('/usr/sbin/nginx', layout, ['-t'])).toEqual([
      '/usr/sbin/nginx',
      '-p',
      '/lab/nginx',
      '-c',
      '/lab/nginx/conf/nginx.conf',
      '-e',
      '/lab/nginx/logs/error.log',
      '-t',
    ])
  })
})
