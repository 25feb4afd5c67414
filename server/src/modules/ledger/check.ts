export interface LedgerCheck {
  ok: boolean;
  checkedAt: string;
  entries: number;
  lines: number;
  checks: { name: string; ok: boolean; problems: string[] }[];
}

/**
 * The invariants a steward (and the tests) rely on. Each query lists what breaks its rule, so
 * an empty answer means the rule holds.
 */
const RULES: { name: string; query: string; describe: (r: Record<string, unknown>) => string }[] = [
  {
    name: 'Every entry balances (its lines sum to zero)',
    query: `SELECT entry_id, sum(amount_cents)::bigint AS off FROM journal_lines GROUP BY entry_id HAVING sum(amount_cents) <> 0 LIMIT 50`,
    describe: (r) => `entry ${r.entry_id} is off by ${r.off} cents`,
  },
  {
    name: 'Client payments in the ledger match each payment taken through Stripe',
    query: `
      WITH taken AS (SELECT booking_id, sum(total_cents)::bigint AS cents FROM payments WHERE status IN ('paid', 'refunded', 'partially_refunded', 'to_return', 'returned') GROUP BY booking_id),
           booked AS (SELECT e.booking_id, sum(l.amount_cents)::bigint AS cents FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                      JOIN ledger_accounts a ON a.id = l.account_id WHERE e.kind = 'payment' AND a.code = 'client_payments' GROUP BY e.booking_id)
      SELECT coalesce(t.booking_id, b.booking_id) AS booking_id, coalesce(t.cents, 0) AS stripe, coalesce(b.cents, 0) AS ledger
      FROM taken t FULL JOIN booked b ON b.booking_id = t.booking_id WHERE coalesce(t.cents, 0) <> coalesce(b.cents, 0) LIMIT 50`,
    describe: (r) => `booking ${r.booking_id}: Stripe took ${r.stripe}, the ledger has ${r.ledger}`,
  },
  {
    name: 'Refunds in the ledger match each refund made through Stripe',
    query: `
      WITH given AS (SELECT booking_id, sum(total_cents)::bigint AS cents FROM refunds GROUP BY booking_id),
           booked AS (SELECT e.booking_id, -sum(l.amount_cents)::bigint AS cents FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                      JOIN ledger_accounts a ON a.id = l.account_id WHERE e.kind = 'refund' AND a.code = 'client_payments' GROUP BY e.booking_id)
      SELECT coalesce(g.booking_id, b.booking_id) AS booking_id, coalesce(g.cents, 0) AS stripe, coalesce(b.cents, 0) AS ledger
      FROM given g FULL JOIN booked b ON b.booking_id = g.booking_id WHERE coalesce(g.cents, 0) <> coalesce(b.cents, 0) LIMIT 50`,
    describe: (r) => `booking ${r.booking_id}: refunded ${r.stripe} through Stripe, the ledger has ${r.ledger}`,
  },
  {
    name: 'Each payment’s refunded total matches its refunds',
    query: `SELECT p.id, p.refunded_cents, coalesce(sum(r.total_cents), 0)::bigint AS refunds FROM payments p LEFT JOIN refunds r ON r.payment_id = p.id
            GROUP BY p.id HAVING p.refunded_cents <> coalesce(sum(r.total_cents), 0) LIMIT 50`,
    describe: (r) => `payment ${r.id} says ${r.refunded_cents} refunded, its refunds add up to ${r.refunds}`,
  },
  {
    name: 'Tips in the ledger match each tip paid through Stripe',
    query: `
      WITH paid AS (SELECT booking_id, amount_cents::bigint AS cents FROM tips WHERE status = 'paid'),
           booked AS (SELECT e.booking_id, sum(l.amount_cents)::bigint AS cents FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                      JOIN ledger_accounts a ON a.id = l.account_id WHERE e.kind = 'tip' AND a.code = 'client_payments' GROUP BY e.booking_id)
      SELECT coalesce(p.booking_id, b.booking_id) AS booking_id, coalesce(p.cents, 0) AS stripe, coalesce(b.cents, 0) AS ledger
      FROM paid p FULL JOIN booked b ON b.booking_id = p.booking_id WHERE coalesce(p.cents, 0) <> coalesce(b.cents, 0) LIMIT 50`,
    describe: (r) => `booking ${r.booking_id}: tip of ${r.stripe} paid, the ledger has ${r.ledger}`,
  },
  {
    name: 'No co-op payable or tax account below zero',
    query: `SELECT a.code, sum(l.amount_cents)::bigint AS debit FROM ledger_accounts a JOIN journal_lines l ON l.account_id = a.id
            WHERE a.code LIKE 'coop_payable:%' OR a.code LIKE 'taxes_collected:%' GROUP BY a.code HAVING sum(l.amount_cents) > 0 LIMIT 50`,
    describe: (r) => `${r.code} is ${r.debit} cents below zero`,
  },
];

/** `run` executes one read-only query (postgres.js `sql.unsafe`, so the check also runs in scripts). */
export async function checkLedger(run: (query: string) => Promise<Record<string, unknown>[]>): Promise<LedgerCheck> {
  const sql = run;
  const checks = [];
  for (const rule of RULES) {
    const rows = await sql(rule.query);
    checks.push({ name: rule.name, ok: rows.length === 0, problems: rows.map(rule.describe) });
  }
  const [counts] = await sql(`SELECT (SELECT count(*) FROM journal_entries)::int AS entries, (SELECT count(*) FROM journal_lines)::int AS lines`);
  return {
    ok: checks.every((c) => c.ok),
    checkedAt: new Date().toISOString(),
    entries: Number(counts?.entries ?? 0),
    lines: Number(counts?.lines ?? 0),
    checks,
  };
}
