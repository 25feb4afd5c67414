import { CreateMembershipBody, EndMembershipBody, MEMBER_CLASSES, type MemberClass } from '@tissu/shared';
import { m } from '$lib/paraglide/messages';
import { apiFailure, check, formValues, invalid, str, type FormState } from '$lib/server/forms';
import { loadFailure, requireSteward } from '$lib/server/guards';
import { HOME_ZONE, localDate } from '$lib/time';
import { idempotencyKeyOf, newIdempotencyKey } from '$lib/server/idempotency';
import { ok } from '$lib/server/api/client';
import type { Actions, PageServerLoad } from './$types';

const STATUSES = ['open', 'ended', 'all'] as const;
type Status = (typeof STATUSES)[number];
const HOLDERS = ['person', 'coop'] as const;

export const load: PageServerLoad = async (event) => {
  requireSteward(event);
  const { api } = event.locals;
  const q = event.url.searchParams;
  const memberClass = (MEMBER_CLASSES as readonly string[]).includes(q.get('class') ?? '') ? (q.get('class') as MemberClass) : '';
  const status: Status = (STATUSES as readonly string[]).includes(q.get('status') ?? '') ? (q.get('status') as Status) : 'open';
  const holder = (HOLDERS as readonly string[]).includes(q.get('holder') ?? '') ? (q.get('holder') as 'person' | 'coop') : '';
  const name = (q.get('q') ?? '').trim();
  try {
    const [register, settings, coops, years] = await Promise.all([
      ok(api.GET('/steward/members')),
      ok(api.GET('/steward/settings')),
      ok(api.GET('/coops', { params: { query: { status: 'approved' } } })),
      ok(api.GET('/steward/fiscal-years')),
    ]);
    const needle = name.toLocaleLowerCase('fr-CA');
    const members = register.members.filter(
      (r) =>
        (!memberClass || r.memberClass === memberClass) &&
        (status === 'all' || (status === 'open') === r.open) &&
        (!holder || r.holder.kind === holder) &&
        (!needle || r.holder.name.toLocaleLowerCase('fr-CA').includes(needle)),
    );
    // People already on the register (someone who left may join again), to choose by name.
    const people = [...new Map(register.members.filter((r) => r.holder.kind === 'person').map((r) => [r.holder.id, r.holder.name])).entries()]
      .map(([id, label]) => ({ id, label }))
      .sort((a, b) => a.label.localeCompare(b.label, 'fr-CA'));
    const openCoops = new Set(register.members.filter((r) => r.open && r.holder.kind === 'coop').map((r) => r.holder.id));
    const plans = years.years.flatMap((y) =>
      y.plans.filter((p) => p.status !== 'draft').map((p) => ({ id: p.id, status: p.status, year: y.label })),
    );
    return {
      members,
      total: register.members.length,
      counts: register.counts,
      filters: { class: memberClass, status, holder, q: name },
      shares: settings.qualifyingShareCents,
      coops: coops.items.map((c) => ({ id: c.id, name: c.legalName, member: openCoops.has(c.id) })),
      people,
      plans,
      today: localDate(new Date(), HOME_ZONE),
      idempotencyKey: newIdempotencyKey(),
    };
  } catch (e) {
    loadFailure(event, e);
  }
};

export const actions: Actions = {
  join: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const memberClass = str(data, 'class');
    const producer = memberClass === 'producer';
    const input = {
      class: memberClass || undefined,
      coopId: producer ? str(data, 'coopId') || undefined : undefined,
      userId: producer ? undefined : str(data, 'userId').trim() || undefined,
      paidBy: str(data, 'paidBy') || undefined,
      startedOn: str(data, 'startedOn') || undefined,
    };
    const checked = check(CreateMembershipBody, input);
    if (!checked.ok) return invalid(checked.errors, values, 'join');
    try {
      const joined = await ok(event.locals.api.POST('/steward/memberships', { params: { header: { 'idempotency-key': idempotencyKeyOf(data) } }, body: checked.data }));
      return { form: 'join', success: m.steward_members_joined({ name: joined.holder.name }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, values, { form: 'join' });
    }
  },

  end: async (event) => {
    requireSteward(event);
    const data = await event.request.formData();
    const values = formValues(data);
    const membershipId = str(data, 'membershipId');
    const form = `end-${membershipId}`;
    const checked = check(EndMembershipBody, { endedOn: str(data, 'endedOn') || undefined });
    if (!checked.ok) return invalid(checked.errors, values, form);
    try {
      const ended = await ok(event.locals.api.POST('/steward/memberships/{id}/end', { params: { path: { id: membershipId } }, body: { endedOn: checked.data.endedOn } }));
      return { form: 'end', success: m.steward_members_ended({ name: ended.holder.name }) } satisfies FormState;
    } catch (e) {
      return apiFailure(event, e, values, { form });
    }
  },
};
