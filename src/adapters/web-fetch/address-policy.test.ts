import { describe, expect, it } from 'vitest';
import { addressPolicy, parseAllowList } from './address-policy.js';

describe('addressPolicy', () => {
  const p = addressPolicy();
  it.each([
    '127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.100.100.200',
    '0.0.0.0', '255.255.255.255', '224.0.0.1', '239.1.2.3', '::1', '::', 'fe80::1', 'fc00::1', 'fd00:ec2::254', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '64:ff9b::a00:1', '2002:a00:1::1', '2001:0:4136:e378:8000:63bf:3fff:fdd2',
  ])('refuses %s', (ip) => {
    expect(p.allows(ip)).toBe(false);
    expect(p.refusal(ip)).toMatch(/is a/);
  });
  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::6810:85e5', '::ffff:8.8.8.8'])('allows public %s', (ip) => {
    expect(p.allows(ip)).toBe(true);
  });
  it('refuses what is not an address', () => {
    expect(p.refusal('localhost')).toMatch(/not an IP address/);
  });
  it('opens exactly the allow-listed ranges', () => {
    const q = addressPolicy(['127.0.0.1/32', 'fd00::/8']);
    expect(q.allows('127.0.0.1')).toBe(true);
    expect(q.allows('::ffff:127.0.0.1')).toBe(true);
    expect(q.allows('127.0.0.2')).toBe(false);
    expect(q.allows('fd12::1')).toBe(true);
    expect(q.allows('10.0.0.1')).toBe(false);
  });
  it('rejects a malformed allow-list with a config error', () => {
    expect(() => parseAllowList(['127.0.0.1/33'])).toThrow(expect.objectContaining({ code: 'FETCH_ALLOW_INVALID' }));
    expect(parseAllowList(['::1'])[0]![1]).toBe(128);
  });
});
