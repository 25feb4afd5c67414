import { describe, expect, it } from 'vitest';
import { outcome } from './service.js';

describe('deciding a vote', () => {
  it('needs the quorum of ballots cast, abstentions included, over members who could vote', () => {
    expect(outcome(100, { yes: 6, no: 2, abstain: 2 }, 1_000)).toMatchObject({ cast: 10, quorumReached: true, status: 'adopted' });
    expect(outcome(100, { yes: 6, no: 2, abstain: 1 }, 1_000)).toMatchObject({ cast: 9, quorumReached: false, status: 'no_quorum' });
    expect(outcome(0, { yes: 0, no: 0, abstain: 0 }, 0)).toMatchObject({ quorumReached: false, status: 'no_quorum' });
  });

  it('adopts when more say yes than no: a tie is rejected, abstentions count for the quorum only', () => {
    expect(outcome(10, { yes: 3, no: 3, abstain: 0 }, 1_000).status).toBe('rejected');
    expect(outcome(10, { yes: 1, no: 0, abstain: 5 }, 1_000).status).toBe('adopted');
    expect(outcome(10, { yes: 1, no: 2, abstain: 5 }, 1_000).status).toBe('rejected');
  });
});
