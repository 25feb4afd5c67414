import { customType, timestamp } from 'drizzle-orm/pg-core';

export const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** Every instant is a timestamptz; drivers hand back JS Dates in UTC. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
