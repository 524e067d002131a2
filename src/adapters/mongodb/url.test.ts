import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from '../../core/redact.js';
import { mongoDatabase, mongoHosts, mongoUrlSecrets, mongoWhere, redactSecrets } from './url.js';

describe('MongoDB URLs through redactUrlCredentials', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrlCredentials('mongodb://bob:s3cret@h1:27017,h2/db?authSource=admin')).toBe('mongodb://bob:***@h1:27017,h2/db?authSource=admin');
    expect(redactUrlCredentials('mongodb+srv://bob:p%40ss@cluster.example/db')).toBe('mongodb+srv://bob:***@cluster.example/db');
  });
  it('leaves URLs without credentials unchanged', () => {
    expect(redactUrlCredentials('mongodb://127.0.0.1:27017/')).toBe('mongodb://127.0.0.1:27017/');
  });
});

describe('secrets', () => {
  it('finds the raw and decoded password and removes both from text', () => {
    const secrets = mongoUrlSecrets('mongodb://bob:p%40ss@h/');
    expect(secrets).toEqual(['p%40ss', 'p@ss']);
    expect(redactSecrets('failed for p@ss and p%40ss', secrets)).toBe('failed for *** and ***');
    expect(mongoUrlSecrets('mongodb://h/')).toEqual([]);
  });
  it('names the hosts without credentials', () => {
    expect(mongoHosts('mongodb://bob:pw@h1:1,h2:2/db')).toBe('h1:1,h2:2');
    expect(mongoHosts('nonsense')).toBe('(unparsable)');
  });
});

describe('mongoWhere', () => {
  it('keeps the hosts and the database, masks the password and drops the query', () => {
    expect(mongoWhere('mongodb://u:pw@db.internal:27017', 'networksecurity')).toBe('mongodb://u:***@db.internal:27017/networksecurity');
    expect(mongoWhere('mongodb://h1:27017,h2:27017/ns?replicaSet=rs0', 'ns')).toBe('mongodb://h1:27017,h2:27017/ns');
    expect(mongoWhere('mongodb+srv://token@cluster.example.net/?tls=true', 'db')).toBe('mongodb+srv://***@cluster.example.net/db');
  });
});

describe('mongoDatabase (the driver parser reads the path)', () => {
  it('is undefined without a path, whatever the options hold', () => {
    expect(mongoDatabase('mongodb://h')).toBeUndefined();
    expect(mongoDatabase('mongodb://h/')).toBeUndefined();
    expect(mongoDatabase('mongodb://h/?tlsCAFile=/path/ca.pem')).toBeUndefined();
    expect(mongoDatabase('mongodb://h:27017?tlsCAFile=/etc/ssl/ca.pem')).toBeUndefined();
  });
  it('reads the database of a single host, a replica set and mongodb+srv, with credentials', () => {
    expect(mongoDatabase('mongodb://h:27017/ns')).toBe('ns');
    expect(mongoDatabase('mongodb://bob:p%40ss@h1:27017,h2:27018/ns?replicaSet=rs0&tlsCAFile=/a/b.pem')).toBe('ns');
    expect(mongoDatabase('mongodb+srv://bob:s3cret@cluster.example.com/db%20x?retryWrites=true')).toBe('db x');
  });
});

describe('openMongoState names the database the driver reads (no connection made)', () => {
  it('uses the default database when only options hold slashes, and shows no password', async () => {
    const { openMongoState } = await import('./state.js');
    const state = openMongoState('mongodb://bob:s3cret@127.0.0.1:1?appName=a/b/c', { defaultDatabase: 'nsdef' });
    try {
      expect(state.describe()).toBe('mongodb://bob:***@127.0.0.1:1/nsdef');
    } finally {
      await state.close();
    }
  });
});
