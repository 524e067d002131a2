import { describe, expect, it } from 'vitest';
import { redactUrlCredentials } from '../../core/redact.js';
import { mongoHosts, mongoUrlSecrets, mongoWhere, redactSecrets } from './url.js';

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
