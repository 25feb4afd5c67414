import { describe, expect, it } from 'vitest';
import { connectionFor, findPgTool, printable } from './pg-tools.js';

describe('PostgreSQL client tools', () => {
  it('keeps the password out of the command line: libpq gets it from PGPASSWORD, decoded', () => {
    const { dbname, env } = connectionFor('postgres://tissu:p%40ss%2Fw0rd@db.example:5433/tissu?sslmode=require');
    expect(dbname).toBe('postgres://tissu@db.example:5433/tissu?sslmode=require');
    expect(env).toEqual({ PGPASSWORD: 'p@ss/w0rd' });
    expect(printable('postgres://tissu:secret@h/db')).toBe('postgres://tissu:***@h/db');
  });

  it('a server newer than every installed pg_dump: names the package to install', () => {
    expect(() => findPgTool('pg_dump', 99)).toThrow(/PostgreSQL 99 needs pg_dump 99 or newer\. Install postgresql-client-99/);
  });

  it('PG_BIN pointing nowhere falls back to the installed tools', () => {
    const tool = findPgTool('pg_restore', 1, '/nonexistent');
    expect(tool.major).toBeGreaterThanOrEqual(15);
  });
});
